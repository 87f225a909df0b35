"""Describe one product: gather facts, ask vLLM for JSON-schema constrained copy, check it claim by claim, repair.

``Describer.describe`` never raises for a per-item problem (unknown id, no attributes, invalid model output,
server down): the problem is one line in ``DescribeResult.errors``, so a batch goes on.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from dataclasses import dataclass, field
from typing import Any

import openai

from core.errors import ShopagentError
from core.llm.client import Endpoint, async_openai_client, unreachable_message
from tools.describe.claims import ClaimChecker, split_sentences
from tools.describe.facts import SourceFacts
from tools.describe.snippets import SnippetSource, review_snippets
from tools.describe.models import Claim, DescribeRequest, DescribeResult, ProductCopy
from tools.describe.salvage import salvage_object
from tools.describe.prompts import build_messages, max_tokens, regenerate_messages, response_format

log = logging.getLogger(__name__)


class InvalidCopyError(ShopagentError):
    """The model's answer is not usable product-copy JSON."""


def parse_copy(content: str, facts: SourceFacts) -> ProductCopy:
    """The model's JSON as ``ProductCopy``; shape slips (6 bullets, 2 bullets, no title) are repaired from facts."""
    try:
        data = json.loads(content)
    except json.JSONDecodeError as exc:
        data = salvage_object(content)  # cut off by the token limit: keep what is complete
        if not data or not (data.get("bullets") or data.get("description")):
            raise InvalidCopyError(f"model output for {facts.product_id!r} is not valid JSON ({exc.msg} at char "
                                   f"{exc.pos}): retry, or use a larger model") from None
    if not isinstance(data, dict):
        raise InvalidCopyError(f"model output for {facts.product_id!r} is JSON but not an object: retry")
    title = _clean(str(data.get("title") or ""))
    title = title if len(title) >= 3 else facts.title
    bullets = _unique([as_sentence(_clean(str(b))) for b in data.get("bullets") or []], seen={title.lower()})[:5]
    description = " ".join(_unique(_complete_sentences(str(data.get("description") or ""))))
    keywords = _unique([_clean(str(k)) for k in data.get("seo_keywords") or []])[:10]
    bullets = bullets + fallback_bullets(facts, exclude=bullets)[: max(0, 3 - len(bullets))]
    return ProductCopy(title=title[:200], bullets=bullets, description=description[:2000] or f"{facts.title}.",
                       seo_keywords=keywords)


_LIST_MARK = re.compile(r"^\s*(?:\d+[.)]|[-*\u2022])\s*")


def _clean(text: str) -> str:
    """One line without list numbering or surrounding space."""
    return _LIST_MARK.sub("", " ".join(text.split())).strip()


def _unique(items: list[str], seen: set[str] | None = None) -> list[str]:
    """Non-empty items, repeats (case-insensitive) dropped: small models loop."""
    seen = set(seen or ())
    out = []
    for item in items:
        key = item.lower().strip(" .!")
        if key and key not in seen and any(c.isalpha() for c in key):
            seen.add(key)
            out.append(item)
    return out


def _complete_sentences(text: str) -> list[str]:
    """The description's sentences; a last fragment cut off by the length limit is dropped (never shown cut)."""
    sentences = split_sentences(" ".join(text.split()))
    if sentences and not sentences[-1].rstrip("\"')]").endswith((".", "!", "?", "…")):
        sentences = sentences[:-1]
    return sentences


_FIELD_DUMP = re.compile(r"([A-Za-z][A-Za-z' /-]{1,40}):\s*(.+)")
_NOT_A_BULLET = {"title", "id", "asin", "name", "product name", "seller's name", "seller name", "url", "sku"}


def as_sentence(bullet: str) -> str:
    """A bullet as a sentence: a field dump "Material: stainless steel" becomes "The material is stainless steel."
    (one whose field names the record itself, "Title: ...", becomes empty and is dropped)."""
    m = _FIELD_DUMP.fullmatch(bullet.strip())
    if not m:
        return bullet
    key, value = m.group(1).strip().lower(), m.group(2).strip().rstrip(".")
    return "" if key in _NOT_A_BULLET else f"The {key} is {value}."


def fallback_bullets(facts: SourceFacts, exclude: list[str] = ()) -> list[str]:
    """Bullets written straight from the facts as sentences (always supported): used when too few model bullets
    survive."""
    seen = {b.lower() for b in exclude}
    out = [as_sentence(f"{k}: {v}") for k, v in facts.attributes.items()]
    out += [as_sentence(f[:1].upper() + f[1:]) for f in facts.features]
    if facts.brand:
        out.append(f"Made by {facts.brand}.")
    if facts.category:
        out.append(f"Sold as {facts.category.split(' > ')[-1].split(',')[-1].strip().lower()}.")
    out.append(f"{facts.title}.")
    return [b for b in dict.fromkeys(out) if b and b.lower() not in seen]


def remove_unsupported(copy: ProductCopy, claims: list[Claim], facts: SourceFacts) -> tuple[ProductCopy, list[str]]:
    """Drop unsupported bullets and sentences; an unsupported title becomes the catalog title."""
    bad = {(c.field, c.text) for c in claims if not c.supported}
    if not bad:
        return copy, []
    removed = [text for _, text in bad]
    title = facts.title if ("title", copy.title.strip()) in bad else copy.title
    bullets = [b for b in copy.bullets if ("bullet", b.strip()) not in bad]
    bullets += fallback_bullets(facts, exclude=bullets)[: max(0, 3 - len(bullets))]
    sentences = [s for s in split_sentences(copy.description) if ("description", s) not in bad]
    description = " ".join(sentences) or f"{facts.title}."
    return ProductCopy(title=title, bullets=bullets, description=description, seo_keywords=copy.seo_keywords), removed


def _error_line(exc: BaseException, endpoint: Endpoint) -> str:
    if isinstance(exc, ShopagentError):
        return str(exc)
    if isinstance(exc, (openai.APIConnectionError, openai.APITimeoutError)):
        return unreachable_message(endpoint.base_url)
    if isinstance(exc, openai.APIStatusError):
        return f"LLM server answered {exc.status_code}: {str(exc.message)[:200]}"
    return f"{type(exc).__name__}: {exc}"


@dataclass
class Describer:
    """Writes checked copy with one endpoint, a catalog (for ids) and optionally the search engine (snippets)."""

    endpoint: Endpoint
    catalog: Any = None
    engine: SnippetSource | None = None
    checker: ClaimChecker = field(default_factory=ClaimChecker)
    temperature: float = 0.0
    _client: openai.AsyncOpenAI | None = field(default=None, repr=False)

    @classmethod
    def open(cls, endpoint: Endpoint, catalog: Any = None, engine: SnippetSource | None = None,
             **kwargs: Any) -> "Describer":
        """A describer whose claim checker knows the catalog's attribute values (materials, colors ...)."""
        return cls(endpoint=endpoint, catalog=catalog, engine=engine, checker=ClaimChecker.for_catalog(catalog),
                   **kwargs)

    @property
    def client(self) -> openai.AsyncOpenAI:
        if self._client is None:
            self._client = async_openai_client(self.endpoint)
        return self._client

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.close()
            self._client = None

    def facts_for(self, request: DescribeRequest) -> SourceFacts:
        """The request's facts incl. review snippets. Raises ShopagentError (unknown id, no attributes ...)."""
        if request.record is not None:
            return SourceFacts.from_record(request.record).model_copy(update={"keywords": list(request.keywords)})
        if self.catalog is None:
            raise ShopagentError("describing by product id needs a catalog: run `shopagent data demo` first")
        product = self.catalog.get(request.product_id)
        query = " ".join([product.title, *request.keywords])
        snippets = review_snippets(product.id, query, request.n_snippets, engine=self.engine, catalog=self.catalog)
        return SourceFacts.from_product(product, snippets).model_copy(update={"keywords": list(request.keywords)})

    async def complete(self, messages: list[dict[str, str]], limit: int, length: str = "medium") -> tuple[str, int]:
        """One constrained completion: (content, completion tokens)."""
        response = await self.client.chat.completions.create(
            model=self.endpoint.model, messages=messages, max_tokens=limit, temperature=self.temperature,
            response_format=response_format(length),
        )
        choice = response.choices[0]
        tokens = response.usage.completion_tokens if response.usage else 0
        if choice.finish_reason == "length":
            log.info("copy hit max_tokens=%d; the JSON may be cut", limit)
        return choice.message.content or "", tokens

    async def describe(self, request: DescribeRequest) -> DescribeResult:
        result = DescribeResult(product_id=request.key)
        try:
            facts = self.facts_for(request)
            result.cited_snippets = [s.review_id for s in facts.snippets]
            messages = build_messages(request, facts)
            content, tokens = await self.complete(messages, max_tokens(request), request.length)
            result.completion_tokens += tokens
            copy = parse_copy(content, facts)
            claims = self.checker.check_copy(copy, facts)
            result.claims = claims
            unsupported = [c for c in claims if not c.supported]
            if unsupported and request.on_unsupported == "regenerate":
                retry = regenerate_messages(messages, content, [c.text for c in unsupported])
                try:
                    content2, tokens2 = await self.complete(retry, max_tokens(request), request.length)
                    result.completion_tokens += tokens2
                    copy2 = parse_copy(content2, facts)
                    claims2 = self.checker.check_copy(copy2, facts)
                    result.regenerated = True
                    if sum(not c.supported for c in claims2) < len(unsupported):
                        copy, claims = copy2, claims2
                except (InvalidCopyError, openai.OpenAIError) as exc:  # keep the first draft; repaired below
                    log.info("regeneration for %s gave no usable copy: %s", request.key, exc)
            if request.on_unsupported != "flag":
                copy, result.removed = remove_unsupported(copy, claims, facts)
                claims = self.checker.check_copy(copy, facts) if result.removed else claims
            result.product_copy = copy
            result.final_claims = claims
        except Exception as exc:  # one item's failure is reported on the item; the batch goes on
            if not isinstance(exc, (ShopagentError, openai.OpenAIError)):
                log.exception("describing %s failed", request.key)
            result.errors.append(_error_line(exc, self.endpoint))
        return result


def describe_product(request: DescribeRequest, endpoint: Endpoint, catalog: Any = None,
                     engine: SnippetSource | None = None) -> DescribeResult:
    """Describe one product (sync). Per-item problems are in ``result.errors``."""

    async def run() -> DescribeResult:
        describer = Describer.open(endpoint, catalog=catalog, engine=engine)
        try:
            return await describer.describe(request)
        finally:
            await describer.aclose()

    return asyncio.run(run())
