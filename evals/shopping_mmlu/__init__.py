"""Shopping MMLU / KDD Cup 2024 ShopBench: read the official JSONL, prompt and score as the benchmark does, and
generate our own task set from the shop's catalog in the same format.

Modules: ``data`` (question model and readers), ``prompts`` (requests), ``parsers`` (model output -> values),
``metrics`` (the benchmark's metrics), ``scoring`` (per task / skill / overall), ``runner`` (async answering with a
resumable cache), ``generate`` (our catalog-generated tasks).
"""
