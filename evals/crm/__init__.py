"""Evaluation suite 2: a CRMArena-style offline CRM org (SQLite), nine professional task types, an agent, scoring.

Modules: ``schema`` (the 16 objects), ``generate`` (seeded org from the shop catalog), ``periods`` (date windows),
``tasks`` (task generation + ground truth by code), ``tools`` (what the agent may call), ``agent`` (LangGraph loop),
``scoring`` (answer extraction, exact match, token F1, pass^k), ``runner`` (``run_crm_eval``).
"""
