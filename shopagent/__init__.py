"""shopagent: an e-commerce LLM agent a shop runs on its own hardware."""

__version__ = "0.1.0"
