"""Domain tuning (issue 14): instruction data from the loaded catalog, supervised fine-tuning of the served model,
the tuned planner (router + tuned model under a JSON schema + catalog checks), and base-vs-tuned evaluation.

Modules: ``evalset`` (the hand-written planner requests and their scoring), ``templates`` / ``data`` (generated
chat-format training data), ``train`` (SFT), ``planner`` (the tuned planner), ``evaluate`` (base vs tuned),
``artifacts`` (where runs and the tuned model live).
"""
