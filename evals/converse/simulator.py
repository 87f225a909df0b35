"""The simulated shopper: knows only the target's catalog record, opens vaguely, gives one cue per missed turn.

``RuleShopper`` (the default) is deterministic for a seed: the opening is the target's leaf category in everyday
words; after each reply that does not show the target it gives one cue taken from the record, never the title or
the id: "more like [n]" for the product on screen closest to the target (when one is close, and closer than any it
pointed at before: a "more like" that brought nothing closer is followed by more of what it knows, as a person
would), "cheaper" (when everything shown costs more than the target's price band), else the next of the record's
static cues (brand, price band, a distinctive title word, a second one). ``static_cues`` is what the ``all_cues_search`` baseline gets at
once. The LLM shopper (``evals.converse.llm_simulator``) speaks the same protocol.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from typing import Any, Protocol, Sequence

from bm25s.stopwords import STOPWORDS_EN_PLUS
from pydantic import BaseModel, Field

from tools.language import normalise, singular

OPENINGS = ("I'm looking for {x}", "do you have any {x}?", "show me {x}", "I need {x}", "I want to buy {x}")
# Phrasings the project's rule planner reads as meant (probed on the Beauty shop); its misreadings of other
# natural ones ("something by X" -> recommend, "more like [2]" -> similar to [1]) are planner gaps, listed in
# docs/evals.md, not something a simulated shopper should be judged by.
BRAND = ("do you have {brand}?", "{brand} please", "only {brand}", "from {brand}")
BAND = ("between ${lo} and ${hi}", "my budget is ${lo} to ${hi}", "something from ${lo} to ${hi}")
BAND_TOP = ("over ${lo}", "more than ${lo} is fine")
BAND_LOW = ("under ${hi}", "less than ${hi}")
WORD = ("{word} {x}", "{x} that are {word}")  # the category said again with the new word
MORE_LIKE = ("more like the {nth} one", "more like number {n}", "similar to [{n}]")
NTH = ("first", "second", "third", "fourth")
CHEAPER = ("anything cheaper?", "cheaper ones", "show me cheaper ones")
OTHERS = ("show me more {x}", "other {x}")
BANDS = (0, 10, 20, 35, 60, 100)  # price band edges in dollars; the last band is open
GENERIC_LEAVES = {"sets", "body", "face", "tools", "accessories", "kits", "eyes", "lips", "hands", "feet", "men",
                  "women", "other", "more", "hair", "nails", "makeup", "fragrance", "bath"}
BODY_PARTS = {"face", "body", "hands", "feet"}  # "Face > Cleansers" is said "face cleansers"
# English function words (bm25s's list, also as typed without the apostrophe: "wont") and packaging words are no
# cue a shopper gives ("face creams that are how")
STOP = {*STOPWORDS_EN_PLUS, *(w.replace("'", "") for w in STOPWORDS_EN_PLUS),
        "pack", "count", "ounce", "ounces", "fl", "oz", "each", "size", "new", "inch", "piece", "pieces", "set",
        "kit", "one", "two", "three", "black", "white", "total", "stuff"}
CLOSE = 2.5  # closeness (2 = same brand, 1 = same leaf category, + title-word overlap) for "more like [n]":
# the same brand and kind of product, or the same brand and half the title's words


class Record(BaseModel):
    """What the shopper knows of a product (the target's catalog record, or a product on screen)."""

    id: str
    title: str
    brand: str | None = None
    categories: list[str] = Field(default_factory=list)
    price: float | None = None

    @classmethod
    def of(cls, product: Any) -> "Record":
        return cls(id=product.id, title=product.title, brand=product.brand, categories=list(product.categories),
                   price=product.price)


class Cue(BaseModel):
    """One thing the shopper says: its kind (opening, brand, band, word, more_like, cheaper, others) and text."""

    kind: str
    text: str
    value: Any = None


class Shopper(Protocol):
    def opening(self) -> Cue: ...

    def next_cue(self, shown: Sequence[Record], turn: int) -> Cue: ...


def everyday_category(categories: Sequence[str]) -> str:
    """The leaf category as a shopper says it: lower case, '&' as 'and', with its parent when the leaf is generic
    or the parent a part of the body ("Skin Care > Face > Cleansers" -> "face cleansers")."""
    path = [c for c in categories if c and c.lower() != "beauty"]
    if not path:
        return "beauty products"
    leaf = path[-1]
    words = leaf.lower().replace("&", "and").split()
    parent = path[-2].lower().replace("&", "and") if len(path) >= 2 else ""
    if parent and (leaf.lower() in GENERIC_LEAVES or parent in BODY_PARTS) and \
            parent not in ("skin care", "makeup", "hair care", "fragrance", "tools and accessories"):
        return f"{parent} {' '.join(words)}"
    return " ".join(words)


def price_band(price: float | None) -> tuple[float, float | None] | None:
    """The band of ``BANDS`` the price falls in: (low, high), high None for the open top band."""
    if price is None:
        return None
    for lo, hi in zip(BANDS, BANDS[1:]):
        if price < hi:
            return (lo, hi)
    return (BANDS[-1], None)


def _tokens(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z][a-z'-]{2,}", normalise(text)) if w not in STOP]


class TitleWords:
    """Document frequencies of title words over the catalog: a distinctive word is rare but not unique."""

    def __init__(self, titles: Sequence[str]) -> None:
        self.n = max(len(titles), 1)
        self.df = Counter(w for t in titles for w in set(_tokens(t)))

    def distinctive(self, record: Record, k: int = 2) -> list[str]:
        """Up to ``k`` title words, rarest first, that are in at least 2 titles and not the brand's or the
        category's words (a word only this product has would be its name)."""
        banned = {singular(w) for w in _tokens(record.brand or "")}
        banned |= {singular(w) for c in record.categories for w in _tokens(c)}
        words = [w for w in dict.fromkeys(_tokens(record.title))
                 if singular(w) not in banned and 2 <= self.df.get(w, 0) <= 0.05 * self.n and not w.isdigit()]
        return sorted(words, key=lambda w: (self.df[w], w))[:k]


def closeness(target: Record, other: Record) -> float:
    """How close a shown product looks to the target, judged from the record (brand, leaf, title words)."""
    score = 2.0 if target.brand and other.brand and normalise(target.brand) == normalise(other.brand) else 0.0
    if target.categories and other.categories and target.categories[-1] == other.categories[-1]:
        score += 1.0
    a, b = set(_tokens(target.title)), set(_tokens(other.title))
    return score + (len(a & b) / len(a | b) if a | b else 0.0)


def static_cues(target: Record, words: TitleWords) -> list[Cue]:
    """The record's cues in the order they are given: brand, price band, distinctive title words."""
    out = []
    if target.brand:
        out.append(Cue(kind="brand", text="{brand}", value=target.brand))
    band = price_band(target.price)
    if band is not None:
        out.append(Cue(kind="band", text="", value=band))
    out += [Cue(kind="word", text="", value=w) for w in words.distinctive(target)]
    return out


def _money(x: float) -> str:
    return f"{x:g}"


class RuleShopper:
    """The deterministic shopper for one target (its phrasing drawn from a seeded generator)."""

    def __init__(self, target: Record, words: TitleWords, seed: int = 0) -> None:
        self.target = target
        self.rng = random.Random(f"{seed}:{target.id}")
        self.pending = static_cues(target, words)
        self.anchored: set[str] = set()
        self.anchor_near = 0.0  # closeness of the closest product it said "more like" of
        self.said: list[Cue] = []

    def _say(self, kind: str, templates: Sequence[str], value: Any = None, **words: Any) -> Cue:
        cue = Cue(kind=kind, text=self.rng.choice(templates).format(**words), value=value)
        self.said.append(cue)
        return cue

    def opening(self) -> Cue:
        return self._say("opening", OPENINGS, x=everyday_category(self.target.categories))

    def next_cue(self, shown: Sequence[Record], turn: int) -> Cue:
        """The cue after a reply that did not show the target (``shown``: the products on screen, in order)."""
        if shown:
            best = max(range(len(shown)), key=lambda i: closeness(self.target, shown[i]))
            near = closeness(self.target, shown[best])
            if near >= CLOSE and near > self.anchor_near and shown[best].id not in self.anchored:
                self.anchored.add(shown[best].id)
                self.anchor_near = near
                return self._say("more_like", MORE_LIKE, value=best + 1, n=best + 1, nth=NTH[best % len(NTH)])
            band = price_band(self.target.price)
            prices = [s.price for s in shown if s.price is not None]
            last = self.said[-1].kind if self.said else ""
            if band and band[1] is not None and prices and min(prices) >= band[1] and last != "cheaper":
                return self._say("cheaper", CHEAPER)
        if self.pending:
            return self.render(self.pending.pop(0))
        return self._say("others", OTHERS, x=everyday_category(self.target.categories))

    def render(self, cue: Cue) -> Cue:
        """A static cue in words."""
        if cue.kind == "brand":
            return self._say("brand", BRAND, value=cue.value, brand=cue.value)
        if cue.kind == "band":
            lo, hi = cue.value
            if hi is None:
                return self._say("band", BAND_TOP, value=cue.value, lo=_money(lo))
            if lo == 0:
                return self._say("band", BAND_LOW, value=cue.value, hi=_money(hi))
            return self._say("band", BAND, value=cue.value, lo=_money(lo), hi=_money(hi))
        return self._say("word", WORD, value=cue.value, word=cue.value, x=everyday_category(self.target.categories))

