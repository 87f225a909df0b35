"""The description tool's boundary shapes: what a seller asks for, what the model writes, what comes back."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, model_validator

Tone = Literal["neutral", "playful", "premium", "technical"]
Length = Literal["short", "medium", "long"]
OnUnsupported = Literal["regenerate", "remove", "flag"]


class DescribeRequest(BaseModel):
    """Write copy for one product: a catalog id, or a raw attribute record (name -> value)."""

    product_id: str | None = Field(None, description="A catalog product id.")
    record: dict[str, str] | None = Field(
        None, description="A raw attribute record instead of a catalog id (e.g. title, brand, material, size)."
    )
    keywords: list[str] = Field(default_factory=list, description="Marketing/SEO keywords to work in.")
    tone: Tone = "neutral"
    length: Length = "medium"
    language: str = Field("English", description="Language of the copy.")
    n_snippets: int = Field(3, ge=0, le=10, description="Review snippets retrieved as grounding.")
    on_unsupported: OnUnsupported = Field(
        "remove", description="remove unsupported claims (default) / regenerate once, then remove what is still "
                              "unsupported / only flag them.",
    )

    @model_validator(mode="after")
    def _one_source(self) -> "DescribeRequest":
        if (self.product_id is None) == (self.record is None):
            raise ValueError("give exactly one of product_id or record")
        return self

    @property
    def key(self) -> str:
        """The id a batch file records for this request."""
        if self.product_id is not None:
            return self.product_id
        return (self.record or {}).get("id") or (self.record or {}).get("title", "record")


class ProductCopy(BaseModel):
    """Product copy: what the model must return (JSON-schema constrained)."""

    title: str = Field(min_length=3, max_length=200)
    bullets: list[str] = Field(min_length=3, max_length=5)
    description: str = Field(min_length=1, max_length=2000)
    seo_keywords: list[str] = Field(default_factory=list, max_length=10)


class Claim(BaseModel):
    """One checkable statement of the copy and whether the source facts support it."""

    text: str
    field: Literal["title", "bullet", "description", "reply"]  # reply: a sentence of a chat answer
    supported: bool
    evidence: list[str] = Field(default_factory=list, description="Source facts that support it, or what is wrong.")
    checked: bool = Field(True, description="False when the claim has no fact to check (pure marketing).")


class DescribeResult(BaseModel):
    """The outcome for one request: the final copy, its claims, the snippets cited, and any errors."""

    product_id: str
    product_copy: ProductCopy | None = Field(None, description="The final copy (None when the item failed).")
    claims: list[Claim] = Field(default_factory=list, description="Claims of the first draft, checked.")
    final_claims: list[Claim] = Field(default_factory=list, description="Claims of the copy returned.")
    removed: list[str] = Field(default_factory=list, description="Unsupported claims taken out of the copy.")
    regenerated: bool = False
    cited_snippets: list[str] = Field(default_factory=list,
                                      description="Ids of the review snippets given to the model.")
    completion_tokens: int = 0
    errors: list[str] = Field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.product_copy is not None and not self.errors

    @property
    def unsupported_rate(self) -> float | None:
        """Share of the first draft's claims that the facts do not support."""
        if not self.claims:
            return None
        return sum(not c.supported for c in self.claims) / len(self.claims)
