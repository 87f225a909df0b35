"""The grounding check, read like a careful shopper: every statement of an answer must come from the record of the
product it is said about.

``find_defects`` reads text sentence by sentence. A sentence is *about* the products it names (``[2]``, ``#2``,
"number 2", a shown product's title or its brand when that brand is unique on screen), else about the product of the
sentence before it, else about the shown products as a whole. Then:

- ``unsupported_numbers``: a price, rating, review count, size or any other figure that no record in scope states
  (the shopper's own figures, their budget, are allowed);
- ``misattributed``: a true figure, or a "cheapest"/"best rated", said of the wrong product; a position that is not
  on screen; a brand that no shown product has;
- ``unsupported_claims``: an attribute the record lacks or contradicts (``tools.describe.claims``, the description
  tool's checker: materials, colours, properties like SPF or "fragrance-free", compatibility), unknown product ids,
  links;
- ``scaffold``: prompt or rule text echoed ("Shopper:", "PRODUCTS:", a sentence of the system prompt);
- ``repeated``: a sentence said twice (near-duplicates too) or a looping phrase;
- ``truncated``: text that stops mid-sentence;
- ``off_topic_answered``: a general-knowledge answer, or a persona ("I'm Sarah").

``answer_defects`` applies it to a whole shown answer: the prose is checked in full, the rendered product lines
(``[n] Title by Brand: $x, r/5``) for figures and claims, each line about its own product.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable, Literal

from rapidfuzz import fuzz

from tools.language import find_money, normalise
from tools.describe.claims import ClaimChecker, FactIndex, is_degenerate, quantities, split_sentences

DefectKind = Literal["unsupported_numbers", "misattributed", "unsupported_claims", "scaffold", "repeated",
                     "truncated", "off_topic_answered", "pattern"]
DEFECT_KINDS: tuple[str, ...] = ("unsupported_numbers", "misattributed", "unsupported_claims", "scaffold",
                                 "repeated", "truncated", "off_topic_answered")


@dataclass(frozen=True)
class Defect:
    kind: DefectKind
    detail: str


_RATING = re.compile(r"(\d(?:\.\d+)?)\s?(?:/\s?5|out of 5|stars?\b|-star)", re.I)
_REVIEWS = re.compile(r"(\d[\d,]*)\s+(?:customer\s+|shopper\s+)?(?:reviews?|ratings?)\b", re.I)
_ID_LIKE = re.compile(r"\b(?=[A-Z0-9-]*\d)(?=[A-Z0-9-]*[A-Z])[A-Z0-9][A-Z0-9-]{5,}\b")
_POSITION = re.compile(r"\[(\d+)\]|#\s?(\d+)\b|\bnumber (\d)\b", re.I)
_LINK = re.compile(r"https?://|www\.|\b[\w.+-]+@[\w-]+\.\w+", re.I)
_LABEL = re.compile(r"(?:^|\n|\s)(shopper|user|customer|assistant|system|what i did|what was done|products?|reply|"
                    r"answer|one sentence|note|facts|instructions?)\s*:", re.I)
_END = re.compile(r"[.!?…][\"')\]]*$|[\U0001F300-\U0001FAFF]$")
_PERSONA = re.compile(r"\b(?:my name is|call me|i am|i'm)\s+([A-Z][a-z]+)\b|\bas an? (?:ai|language model|"
                      r"virtual assistant)\b|\bi am an? (?:ai|bot|language model)\b", re.I)
_NOT_A_NAME = {"sorry", "happy", "glad", "here", "not", "afraid", "unable", "able", "sure", "the", "a", "an",
               "your", "just", "always", "only", "so", "really", "very", "delighted", "excited", "confident"}
_KNOWLEDGE = re.compile(r"\b(?:is|was) the (?:capital|president|king|queen|prime minister|largest|tallest|oldest|"
                        r"population)\b|\bcapital of\b|\bwas born\b|\bwas founded in\b|\bwrote the\b|\bin \d{4},",
                        re.I)
_SHOP_WORDS = re.compile(r"\b(shop|store|product|products|find|search|recommend|compare|help|looking|buy|price|"
                         r"catalog|item|items)\b", re.I)
_ROW = re.compile(r"([^:\[\]]+): ((?:\[\d+\] [^;]+)(?:; \[\d+\] [^;]+)+)")  # a rendered comparison row
_CHEAPEST = re.compile(r"\b(cheapest|least expensive|lowest[- ]priced|lowest price|most affordable|best price)\b",
                       re.I)
_BEST_RATED = re.compile(r"\b(best[- ]rated|highest[- ]rated|top[- ]rated|best reviewed|highest rating)\b", re.I)
_MOST_REVIEWED = re.compile(r"\b(most[- ]reviewed|most popular|most reviews)\b", re.I)


@lru_cache(maxsize=1)
def _prompt_shingles() -> frozenset[tuple[str, ...]]:
    """6-word shingles of every prompt template: a reply that contains one echoes its prompt."""
    from agent.prompts import PROMPT_DIR

    out: set[tuple[str, ...]] = set()
    for path in PROMPT_DIR.glob("*.txt"):
        words = normalise(re.sub(r"\{\w+\}", " ", path.read_text())).split()
        out.update(tuple(words[i:i + 6]) for i in range(len(words) - 5))
    return frozenset(out)


@lru_cache(maxsize=8)
def _normalized(brands: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(n, b) for b in brands if len(n := normalise(b)) >= 3]


def _figures(key: str, text: str) -> list[tuple[str, float]]:
    """(as written, value) of every price, rating or review count in ``text``; prices as ``tools.language``
    reads them ("$1,299.00", "1,500 dollars", "12,50 €")."""
    if key == "price":
        return [(text[m.start:m.end], m.value) for m in find_money(text)]
    pattern = _RATING if key == "rating" else _REVIEWS
    return [(m.group(0), float(m.group(1).replace(",", ""))) for m in pattern.finditer(text)]


def _near(value: float, target: float | None, money: bool = False) -> bool:
    if target is None:
        return False
    if money:
        return abs(value - target) <= max(0.01, 0.005 * target) or (value == round(target) and abs(value - target) < 0.5)
    return abs(value - target) <= 0.05


def product_lines(p: dict[str, Any], description: str = "") -> list[str]:
    """One shown product's record as fact lines (what a claim about it may rest on)."""
    lines = [p.get("title") or "", f"brand: {p.get('brand')}" if p.get("brand") else "",
             f"category: {p.get('category')}" if p.get("category") else ""]
    lines += [f"{k}: {v}" for k, v in (p.get("attributes") or {}).items()]
    lines += split_sentences(description) if description else []
    return [line for line in lines if line]


class Checker:
    """The check for one turn's facts (built per check: a handful of products)."""

    def __init__(self, facts: dict[str, Any], *, catalog_ids: Any = (), brands: Iterable[str] = (),
                 allowed_numbers: Iterable[float] = (), allowed_text: str = "",
                 claims: ClaimChecker | None = None) -> None:
        self.products: list[dict[str, Any]] = list(facts.get("products", []))
        self.by_position = {p["position"]: p for p in self.products if p.get("position") is not None}
        comparison = facts.get("comparison") or {}
        self.compared_prices = [v for v in comparison.get("rows", {}).get("price", []) if v is not None]
        self.allowed = list(allowed_numbers)
        self.allowed_text = allowed_text
        self.asked = f" {normalise(allowed_text)} "
        self.catalog_ids = catalog_ids
        self.brands = tuple(brands)
        self.claims = claims or ClaimChecker()
        description = facts.get("description") or ""
        one = len(self.products) == 1
        compared: dict[str, list[str]] = {}  # the comparison's rows hold attributes beyond the five in a record
        for name, values in comparison.get("rows", {}).items():
            for pid, value in zip(comparison.get("columns", []), values):
                if value not in (None, "") and name not in ("price", "rating", "reviews"):
                    compared.setdefault(pid, []).append(f"{name}: {value}")
        self.index = {p["id"]: FactIndex.from_lines(product_lines(p, description if one else "")
                                                    + compared.get(p["id"], [])) for p in self.products}
        self.all_index = FactIndex.from_lines([line for p in self.products for line in product_lines(p)]
                                              + split_sentences(description) + [facts.get("note") or ""])
        brand_counts: dict[str, int] = {}
        for p in self.products:
            if p.get("brand"):
                brand_counts[normalise(p["brand"])] = brand_counts.get(normalise(p["brand"]), 0) + 1
        self.unique_brands = {b for b, c in brand_counts.items() if c == 1}

    # --- what a sentence is about ---
    def referents(self, sentence: str) -> list[dict[str, Any]]:
        out = []
        for m in _POSITION.finditer(sentence):
            position = int(m.group(1) or m.group(2) or m.group(3))
            if position in self.by_position:
                out.append(self.by_position[position])
        if out:
            return out
        said = f" {normalise(sentence)} "
        for p in self.products:
            title = " ".join(normalise(p.get("title") or "").split()[:4])
            brand = normalise(p.get("brand") or "")
            if (len(title) >= 8 and f" {title} " in said) or (brand in self.unique_brands and f" {brand} " in said):
                out.append(p)
        return out

    # --- the checks ---
    def sentence(self, sentence: str, about: list[dict[str, Any]]) -> list[Defect]:
        scope = about or self.products
        out: list[Defect] = []
        masked = sentence
        money = lambda v, t: _near(v, t, money=True)  # noqa: E731
        exact = lambda v, t: t is not None and v == t  # noqa: E731
        for key, match in (("price", money), ("rating", _near), ("reviews", exact)):
            for said, value in _figures(key, sentence if key != "reviews" else masked):
                masked = masked.replace(said, " ")
                if key == "price" and (any(abs(value - a) < 0.01 for a in self.allowed) or (
                        not about and any(money(value, v) for v in self.compared_prices))):
                    continue  # the shopper's own figure, or a price of the comparison
                if defect := self._figure(said.strip(), value, key, scope, match):
                    out.append(defect)
        masked = _POSITION.sub(" ", masked)
        indexes = [self.index[p["id"]] for p in about] if about else [self.all_index]
        for q in quantities(masked):
            if any((q in ix.quantities) if q.unit else (q.value in ix.numbers) for ix in indexes):
                continue
            if any(abs(float(q.value.split("/")[0]) - a) < 0.01 for a in self.allowed if "/" not in q.value):
                continue
            out.append(Defect("unsupported_numbers", f"'{q}' is not in the record of the product it is said of"))
        claim = self.claims.check(re.sub(r"\d[\d,.]*", " ", masked), "reply",
                                  _merge(indexes) if len(indexes) > 1 else indexes[0], soft=False)
        if not claim.supported:
            out += [Defect("unsupported_claims", e) for e in claim.evidence]
        out += self._superlatives(sentence, about)
        return out

    def _figure(self, said: str, value: float, key: str, scope: list[dict[str, Any]], match: Any) -> Defect | None:
        """None when a product in scope has this figure; misattributed when only another shown product has it."""
        if any(match(value, p.get(key)) for p in scope):
            return None
        if any(match(value, p.get(key)) for p in self.products):
            return Defect("misattributed", f"{key} {said} is another product's {key}")
        return Defect("unsupported_numbers", f"{key} {said} is not the {key} of the product it is said of")

    def _superlatives(self, sentence: str, about: list[dict[str, Any]]) -> list[Defect]:
        if not about or len(self.products) < 2:
            return []
        out = []
        for pattern, key, best in ((_CHEAPEST, "price", min), (_BEST_RATED, "rating", max),
                                   (_MOST_REVIEWED, "reviews", max)):
            m = pattern.search(sentence)
            values = [p[key] for p in self.products if p.get(key) is not None]
            if m and values and not any(p.get(key) == best(values) for p in about):
                out.append(Defect("misattributed", f"'{m.group(0)}' is said of a product that is not"))
        return out

    def prose(self, text: str, *, action: str = "") -> list[Defect]:
        """Every check on model-written text."""
        text = text.strip()
        if not text:
            return []
        out: list[Defect] = []
        if _LABEL.search(text) or "[text removed]" in text.lower():
            out.append(Defect("scaffold", "prompt labels echoed"))
        words = normalise(text).split()
        shingles = _prompt_shingles()
        if any(tuple(words[i:i + 6]) in shingles for i in range(len(words) - 5)):
            out.append(Defect("scaffold", "prompt or rule text echoed"))
        asked = normalise(self.allowed_text).split()
        if len(asked) >= 8 and " ".join(asked) in " ".join(words):
            out.append(Defect("scaffold", "the shopper's message echoed"))
        sentences = split_sentences(text)
        if is_degenerate(text) or any(
                fuzz.ratio(normalise(a), normalise(b)) >= 80 for i, a in enumerate(sentences)
                for b in sentences[i + 1:] if len(a.split()) >= 3):
            out.append(Defect("repeated", "a sentence or phrase is repeated"))
        if not _END.search(text):
            out.append(Defect("truncated", "the reply stops mid-sentence"))
        for m in _PERSONA.finditer(text):
            if m.group(1) is None or m.group(1).lower() not in _NOT_A_NAME:
                out.append(Defect("off_topic_answered", f"persona: '{m.group(0)}'"))
        if _KNOWLEDGE.search(text) or (action == "chat" and not _SHOP_WORDS.search(text)):
            out.append(Defect("off_topic_answered", "answers something other than shopping"))
        previous: list[dict[str, Any]] = []
        for s in sentences:
            about = self.referents(s) or previous
            out += self.sentence(s, about)
            previous = about
        out += self._ids_links_brands(text)
        return out

    def rendered(self, text: str) -> list[Defect]:
        """Figures and claims of rendered lines (each line about the products it names; a comparison row
        "size: [1] 10 inch; [3] 12 inch" cell by cell)."""
        out: list[Defect] = []
        for line in text.splitlines():
            row = _ROW.fullmatch(line.strip())
            if row:
                for cell in row.group(2).split("; "):
                    ref, _, value = cell.partition(" ")
                    out += self.sentence(f"{row.group(1)}: {value}", self.referents(ref))
            elif line.strip():
                out += self.sentence(line, self.referents(line))
        return out

    def _ids_links_brands(self, text: str) -> list[Defect]:
        out: list[Defect] = []
        ids = {p["id"] for p in self.products}
        for m in _ID_LIKE.finditer(text):
            token = m.group(0)
            if token in ids:
                continue
            if token in self.catalog_ids:
                out.append(Defect("unsupported_claims", f"product {token} was not returned by a tool in this turn"))
            elif re.fullmatch(r"[A-Z]{1,4}\d{4,}|B0[A-Z0-9]{8}", token):
                out.append(Defect("unsupported_claims", f"unknown product id {token}"))
        for m in _POSITION.finditer(text):
            position = int(m.group(1) or m.group(2) or m.group(3))
            if position not in self.by_position:
                out.append(Defect("misattributed", f"there is no product [{position}] on screen"))
        if _LINK.search(text):
            out.append(Defect("unsupported_claims", "links and e-mail addresses are not allowed in answers"))
        shown_brands = {normalise(p["brand"]) for p in self.products if p.get("brand")}
        said = f" {normalise(text)} "
        for n, brand in _normalized(self.brands):
            if f" {n} " in said and n not in shown_brands and f" {n} " not in self.asked:
                out.append(Defect("misattributed", f"brand {brand} is not among the products shown"))
        return out


def _merge(indexes: list[FactIndex]) -> FactIndex:
    return FactIndex.from_lines([line for ix in indexes for line in ix.lines])


def split_answer(answer: str) -> tuple[str, str]:
    """(prose, rendered): the text before the first rendered product line, and the rendered rest."""
    m = re.search(r"(?m)^\[\d+\] ", answer)
    return (answer, "") if m is None else (answer[:m.start()].strip(), answer[m.start():])


def find_defects(text: str, facts: dict[str, Any], *, action: str = "", **context: Any) -> list[Defect]:
    """Defects of model-written ``text`` (see the module doc); ``context``: see ``Checker``."""
    return Checker(facts, **context).prose(text, action=action)


def answer_defects(answer: str, facts: dict[str, Any], *, action: str = "", **context: Any) -> list[Defect]:
    """Defects of a whole shown answer: its prose in full, its rendered lines for figures and claims. The shop's
    policy quoted under products (``agent.templates.beside_policy``) is the shop's own text, built from the facts:
    it is no claim about a product."""
    from agent.templates import beside_policy

    quoted = beside_policy(action, facts)
    if quoted and answer.endswith(quoted):
        answer = answer[:-len(quoted)].rstrip()
    checker = Checker(facts, **context)
    prose, rendered = split_answer(answer)
    return checker.prose(prose, action=action) + checker.rendered(rendered)


def check_answer(answer: str, facts: dict[str, Any], **context: Any) -> list[str]:
    """Violations (readable), empty when ``answer`` is grounded (checked as model-written text)."""
    return [d.detail for d in find_defects(answer, facts, **context)]
