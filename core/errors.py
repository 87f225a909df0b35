"""The one exception type that reaches the user as a single clear line (what happened, what to do)."""


class ShopagentError(Exception):
    """An error whose message is written for the user: what happened and what to do next."""


class ThreadBusyError(ShopagentError):
    """Another turn of the same conversation is running (the API answers 409)."""


class ThreadNotFoundError(ShopagentError):
    """The conversation does not exist for this caller (it belongs to someone else, or never existed): 404."""


class StoreUnavailableError(ShopagentError):
    """The conversation store (PostgreSQL) cannot be reached right now (the API answers 503)."""


def first_line(exc: BaseException) -> str:
    """The first line of an exception's message (its type's name when it has none), for one-line errors."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
