"""The one exception type that reaches the user as a single clear line (what happened, what to do)."""


class ShopagentError(Exception):
    """An error whose message is written for the user: what happened and what to do next."""
