"""The API's own request/response shapes (the tools' models are reused as they are)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class ChatRequest(BaseModel):
    """One shopper message in a conversation; the same ``thread_id`` continues it."""

    thread_id: str = Field(min_length=1, max_length=128, description="Conversation id (any string you choose).")
    message: str = Field(min_length=1, max_length=4000)
    user_id: str | None = Field(None, max_length=128, description="The shopper, for personal recommendations.")
    turn_id: str | None = Field(None, min_length=1, max_length=128,
                                description="Idempotency key: send the same id when retrying a turn (e.g. on another "
                                            "worker after a dropped stream); a turn that already ran is returned, "
                                            "never run twice.")
    stream: bool = Field(True, description="true: Server-Sent Events (token, tool_start, tool_end, products, "
                                           "final, error); false: one JSON TurnResult.")


class ErrorBody(BaseModel):
    type: str = Field(description="invalid_request | unauthorized | forbidden | not_found | unknown_product | "
                                  "invalid_filter | too_large | thread_busy | unavailable | timeout | internal_error | "
                                  "http_error")
    message: str = Field(description="What happened and what to do.")
    detail: Any = None


class ErrorResponse(BaseModel):
    """Every error the API returns has this shape."""

    error: ErrorBody
