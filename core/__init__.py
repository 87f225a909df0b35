"""The foundation: settings, errors, the LLM client, model names and process supervision. Imports nothing of the project."""
