"""Product copy measured against held-out reference descriptions (`shopagent bench describe`)."""
