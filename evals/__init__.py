"""Evaluation suites: each scores a model served over an OpenAI-compatible API and writes the shared report
format of :mod:`evals.report` (results JSON per model, markdown table, bar charts, leaderboard)."""
