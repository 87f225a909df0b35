"""The claim checker: split copy into claims and check each against the source facts, deterministically.

A claim is the title, one bullet, or one sentence of the description. Checks, in order:

0. degenerate text (a word looping) is never supported;
1. numbers: every number in the claim (with its unit, when it has one) must appear in the facts with the same
   unit, exactly (``750 ml`` is not supported by ``750 l`` nor by ``0.75 l``; ``SPF 30`` needs ``SPF 30``);
2. terms: materials, colors and product properties (``waterproof``, ``dishwasher safe``, ``BPA-free`` ...) and
   attribute values seen anywhere in the catalog must appear in the facts;
3. compatibility: the named target of ``compatible with X`` / ``fits X`` / ``works with X`` must appear in the facts;
4. a claim with none of those is checked softly: most of its content words must occur in the facts (or, when an
   embedder is given, its sentence embedding must be close to one fact line). A claim with no content words at
   all (pure marketing: "A great choice.") is unverifiable and passes (``checked=False``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Sequence

import numpy as np

from tools.describe.facts import SourceFacts
from tools.language import fold
from tools.describe.models import Claim, ProductCopy

Embed = Callable[[list[str]], np.ndarray]

# unit spellings -> canonical unit; numbers are compared with their canonical unit
UNITS: dict[str, str] = {
    "mm": "mm", "millimeter": "mm", "millimeters": "mm", "millimetre": "mm", "millimetres": "mm",
    "cm": "cm", "centimeter": "cm", "centimeters": "cm", "centimetre": "cm", "centimetres": "cm",
    "m": "m", "meter": "m", "meters": "m", "metre": "m", "metres": "m",
    "km": "km", "in": "in", "inch": "in", "inches": "in", '"': "in", "ft": "ft", "foot": "ft", "feet": "ft",
    "kg": "kg", "kilogram": "kg", "kilograms": "kg", "g": "g", "gram": "g", "grams": "g",
    "lb": "lb", "lbs": "lb", "pound": "lb", "pounds": "lb", "oz": "oz", "ounce": "oz", "ounces": "oz",
    "ml": "ml", "milliliter": "ml", "milliliters": "ml", "millilitre": "ml", "millilitres": "ml",
    "l": "l", "liter": "l", "liters": "l", "litre": "l", "litres": "l",
    "w": "w", "watt": "w", "watts": "w", "kw": "kw", "v": "v", "volt": "v", "volts": "v", "mah": "mah",
    "h": "h", "hr": "h", "hrs": "h", "hour": "h", "hours": "h", "min": "min", "mins": "min", "minute": "min",
    "minutes": "min", "s": "s", "sec": "s", "seconds": "s", "day": "day", "days": "day", "year": "year",
    "years": "year", "month": "month", "months": "month",
    "%": "%", "percent": "%", "cup": "cup", "cups": "cup", "pair": "pair", "pairs": "pair", "pack": "pack",
    "piece": "piece", "pieces": "piece", "pcs": "piece", "count": "count", "ct": "count",
    "person": "person", "people": "person", "persons": "person", "season": "season",
    "gb": "gb", "tb": "tb", "mb": "mb", "ghz": "ghz", "mhz": "mhz", "hz": "hz", "db": "db",
    "c": "c", "°c": "c", "f": "f", "°f": "f", "°": "deg", "deg": "deg", "degree": "deg", "degrees": "deg",
    "gauge": "gauge", "awg": "awg", "psi": "psi", "star": "star", "stars": "star",
}
# units written before the number
PREFIX_UNITS: dict[str, str] = {"$": "$", "usd": "$", "spf": "spf", "us": "us", "uk": "uk", "eu": "eu",
                                "ipx": "ipx", "ip": "ip", "bluetooth": "bluetooth", "usb": "usb"}

_UNIT_ALT = "|".join(sorted((re.escape(u) for u in UNITS), key=len, reverse=True))
_PREFIX_ALT = "|".join(sorted((re.escape(u) for u in PREFIX_UNITS), key=len, reverse=True))
# a number, optionally preceded by a prefix unit (SPF 30, $12.99, US 9.5, IPX7) and followed by a unit (750 ml, 12-cup)
NUMBER = re.compile(
    rf"(?:(?<![a-z0-9])(?P<pre>{_PREFIX_ALT})\s*|(?<![\w.]))"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
    r"(?:/(?P<den>\d+))?"
    rf"(?:\s*-?\s*(?P<unit>{_UNIT_ALT})(?![a-z0-9]))?",
    re.IGNORECASE,
)

MATERIALS = (
    "cotton", "organic cotton", "wool", "merino", "merino wool", "cashmere", "polyester", "recycled polyester",
    "nylon", "ripstop nylon", "spandex", "elastane", "lycra", "leather", "faux leather", "suede", "silk", "linen",
    "bamboo", "stainless steel", "carbon steel", "steel", "cast iron", "iron", "aluminium", "aluminum", "titanium",
    "carbon fiber", "carbon fibre", "plastic", "glass", "tempered glass", "ceramic", "porcelain", "copper", "brass",
    "bronze", "wood", "oak", "walnut", "pakkawood", "olive wood", "rubber", "silicone", "mesh", "knit", "cordura",
    "tritan", "gore-tex", "fleece", "down", "denim", "velvet", "acrylic", "polycarbonate", "abs", "pvc", "marble",
    "granite", "damascus steel", "g10", "polymer", "foam", "memory foam", "latex", "vinyl", "canvas",
)
COLORS = (
    "black", "white", "red", "blue", "navy", "grey", "gray", "green", "pink", "orange", "yellow", "purple", "beige",
    "brown", "silver", "gold", "rose gold", "teal", "turquoise", "maroon", "burgundy", "ivory", "cream", "khaki",
    "olive", "charcoal", "tan", "violet", "lavender", "bronze", "copper", "multicolor",
)
PROPERTIES = (
    "waterproof", "water resistant", "water-resistant", "dishwasher safe", "oven safe", "microwave safe",
    "freezer safe", "bpa free", "bpa-free", "vegan", "cruelty free", "cruelty-free", "organic", "hypoallergenic",
    "dermatologist tested", "non-comedogenic", "fragrance free", "fragrance-free", "gluten free", "paraben free",
    "wireless", "bluetooth", "noise cancelling", "noise canceling", "active noise", "rechargeable", "induction",
    "nonstick", "non-stick", "machine washable", "leak proof", "leak-proof", "shatterproof", "insulated",
    "usb-c", "usb c", "wifi", "wi-fi", "lifetime warranty", "warranty", "handmade", "hand made", "recycled",
    "biodegradable", "eco-friendly", "eco friendly", "certified", "fda", "ce certified", "ul listed", "patented",
    "odor resistant", "uv protection", "breathable", "reflective", "seamless", "programmable", "cordless",
    "foldable", "adjustable", "lightweight", "ultralight", "heavy duty", "heavy-duty", "stainless", "anti-slip",
    "non-slip", "sweat resistant", "sweatproof", "4-season", "3-season", "broad spectrum", "mineral", "retinol",
    "vitamin c", "hyaluronic acid", "niacinamide", "ceramides", "shea butter", "squalane", "salicylic acid",
    "spf", "sunscreen", "made in usa", "made in the usa", "made in germany", "made in japan", "made in china",
)
# everyday phrases for a checkable property: the claim is checked as the property
ALIASES: dict[str, str] = {"from the sun": "spf", "sun protection": "spf", "sunburn": "spf", "uv rays": "spf",
                           "no fragrance": "fragrance free", "unscented": "fragrance free", "scent free": "fragrance free",
                           "without fragrance": "fragrance free", "water proof": "waterproof"}
# values that say a product does NOT have the property its key names ("spf: none", "waterproof: no")
NEGATIVE_VALUES = frozenset({"none", "no", "false", "n/a", "na", "0", "not", "without", "nope"})
# attribute values too generic to count as checkable terms
_GENERIC_VALUES = {"yes", "no", "none", "n/a", "na", "true", "false", "active", "passive", "normal", "other",
                   "standard", "regular", "one size", "unisex", "men's", "women's", "road", "light", "dry"}
_ATTR_KEY_HINTS = ("material", "color", "colour", "fabric", "finish", "ingredient", "compatib", "connect", "type")

COMPAT = re.compile(
    r"\b(?:compatible with|works with|for use with|fits|designed for|made for|suitable for|pairs with)\s+"
    r"(?P<target>[^.;,!?]+)",
    re.IGNORECASE,
)
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")

STOPWORDS = frozenset("""
a an the and or but if of for to in on at by with without from into onto over under up down out off about as is are
was were be been being it its it's this that these those you your yours we our ours they their them he she his her
i me my can will would should could may might must do does did done has have had having not no nor so than too very
just also only own same such both each every all any some more most other which who whom whose what when where why how
there here then once again further while during before after above below between through per via one ever
they're it's that's you're we're isn't don't doesn't
""".split())
# marketing words that state nothing checkable
MARKETING = frozenset("""
great perfect ideal excellent amazing awesome best better good nice beautiful stylish elegant sleek modern classic
premium quality high superior top finest luxury luxurious exceptional outstanding fantastic wonderful lovely
design designed designs make makes made feature features featuring product item choice option solution experience
enjoy love loved loves look looks looking feel feels keep keeps stay stays everyday daily day life lifestyle use
used uses using user users need needs needed want wants anyone everyone people customer customers shopper shoppers
ensure ensures provide provides offering offers offer delivers deliver give gives perfectly ideally truly really
new brand-new must-have essential addition add adds upgrade simply easy easily effortless effortlessly convenient
comfort comfortable versatile reliable durable practical functional sturdy long lasting long-lasting style
get gets go goes way ways time times whether like well every home work routine today now ready set just
available variety range wide looking
""".split())


def stem(word: str) -> str:
    """A light suffix stripper, enough to match 'resistant'/'resistance', 'cushioned'/'cushioning'."""
    for suffix in ("ances", "ance", "ants", "ant", "ences", "ence", "ents", "ent", "ings", "ing", "ed", "es", "s",
                   "ly", "y"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def _has_term(text_norm: str, term_norm: str) -> bool:
    return re.search(rf"(?<![a-z0-9]){re.escape(term_norm)}(?![a-z0-9])", text_norm) is not None


@dataclass(frozen=True)
class Quantity:
    value: str
    unit: str | None

    def __str__(self) -> str:
        return f"{self.value} {self.unit}" if self.unit else self.value


def _canon_number(raw: str) -> str:
    v = float(raw.replace(",", ""))
    return f"{v:g}" if abs(v) < 1e15 else raw


def quantities(text: str) -> list[Quantity]:
    """Numbers with their (canonical) units, e.g. '750 ml' -> Quantity('750', 'ml'), 'SPF 30' -> ('30', 'spf')."""
    out = []
    for m in NUMBER.finditer(text):
        num = _canon_number(m.group("num"))
        if m.group("den"):
            num = f"{num}/{m.group('den')}"
        unit = None
        if m.group("unit"):
            unit = UNITS.get(m.group("unit").lower())
        elif m.group("pre"):
            unit = PREFIX_UNITS.get(m.group("pre").lower())
        out.append(Quantity(num, unit))
    return out


@dataclass
class FactIndex:
    """The source facts prepared for checking: their quantities, words and lines."""

    lines: list[str]
    quantities: set[Quantity]
    numbers: set[str]
    text_norm: str
    stems: set[str]
    line_vectors: np.ndarray | None = None
    names: set[str] = field(default_factory=set)  # the product's name words: capitalised in its title, or its brand

    @classmethod
    def build(cls, facts: SourceFacts, embed: Embed | None = None) -> "FactIndex":
        return cls.from_lines(facts.evidence_lines(), embed)

    @classmethod
    def from_lines(cls, lines: list[str], embed: Embed | None = None) -> "FactIndex":
        """The index of any fact lines ("key: value", titles, sentences), e.g. a chat turn's product records."""
        qs: set[Quantity] = set()
        for line in lines:
            qs.update(quantities(line))
        text_norm = fold("\n".join(lines))
        stems = {stem(w) for w in _WORD.findall(text_norm)}
        vectors = embed(lines) if embed is not None and lines else None
        names = {fold(w) for line in lines[:2] for w in re.findall(r"\b[A-Z][\w'&-]{2,}", line.partition(": ")[2]
                                                                       if ": " in line else line)}
        return cls(lines=lines, quantities=qs, numbers={q.value for q in qs}, text_norm=text_norm, stems=stems,
                   line_vectors=vectors, names=names - {"title", "brand"})

    def negates(self, term: str) -> bool:
        """True when the facts state the property is absent ("spf: none") and nowhere that it is present."""
        t = fold(term)
        said_no = said_yes = False
        for line in self.lines:
            norm = fold(line)
            if not _has_term(norm, t):
                continue
            if _says_absent(norm, t):
                said_no = True
            else:
                said_yes = True
        return said_no and not said_yes

    def lines_with(self, needle: str) -> list[str]:
        n = fold(needle)
        return [line for line in self.lines if _has_term(fold(line), n)][:2]


@dataclass
class ClaimChecker:
    """Checks claims against one product's facts. ``vocabulary``: extra checkable terms (catalog attribute values)."""

    vocabulary: frozenset[str] = field(default_factory=frozenset)
    embed: Embed | None = None
    min_overlap: float = 0.5
    min_cosine: float = 0.6

    @classmethod
    def for_catalog_values(cls, attribute_maps: Iterable[dict[str, str]], embed: Embed | None = None) -> "ClaimChecker":
        """A checker whose vocabulary holds the catalog's material/color/type... attribute values."""
        return cls(vocabulary=catalog_vocabulary(attribute_maps), embed=embed)

    @classmethod
    def for_catalog(cls, catalog: Any, embed: Embed | None = None) -> "ClaimChecker":
        """A checker whose vocabulary holds ``catalog``'s attribute values (``tools.catalog.store.Catalog``)."""
        frame = catalog.text_frame() if hasattr(catalog, "text_frame") else None
        if frame is None or "attributes" not in frame:
            return cls(embed=embed)
        return cls.for_catalog_values((json.loads(a) if isinstance(a, str) else (a or {}) for a in frame["attributes"]),
                                      embed=embed)

    def terms(self) -> list[str]:
        base = {fold(t) for t in (*MATERIALS, *COLORS, *PROPERTIES)} | set(self.vocabulary)
        return sorted(base, key=len, reverse=True)

    def check_copy(self, copy: ProductCopy, facts: SourceFacts) -> list[Claim]:
        index = FactIndex.build(facts, self.embed)
        return [self.check(text, where, index) for where, text in split_claims(copy)]

    def check(self, text: str, where: str, index: FactIndex, soft: bool = True) -> Claim:
        """One claim against ``index``; ``soft=False`` skips step 4 (content-word overlap), for text that is not
        product copy (a reply's sentence may say "great picks for dry skin" without the catalog saying so)."""
        if is_degenerate(text):
            return Claim(text=text, field=where, supported=False, evidence=["repeated text, not a statement"])
        problems: list[str] = []
        evidence: list[str] = []
        hard = False
        # 1. numbers and units, exactly
        for q in quantities(text):
            hard = True
            ok = q in index.quantities if q.unit else q.value in index.numbers
            if ok:
                evidence += index.lines_with(q.value)
            else:
                near = sorted(str(s) for s in index.quantities if s.unit == q.unit or s.value == q.value)
                problems.append(f"'{q}' is not in the facts" + (f" (facts have {', '.join(near[:3])})" if near else ""))
        # 2. materials, colors, properties, catalog attribute values
        text_norm = fold(text)
        masked = text_norm
        for alias, term in ALIASES.items():
            if _has_term(masked, alias):
                masked = re.sub(rf"(?<![a-z0-9]){re.escape(alias)}(?![a-z0-9])", f" {term} ", masked)
        for term in self.terms():
            if _has_term(masked, term):
                hard = True
                masked = re.sub(rf"(?<![a-z0-9]){re.escape(term)}(?![a-z0-9])", " ", masked)
                if _says_absent(text_norm, term):  # "noise cancelling: none", "no spf": a claim of absence
                    if index.negates(term) or not _has_term(index.text_norm, term):
                        evidence += index.lines_with(term)
                    else:
                        problems.append(f"'{term}': the facts say it has it")
                elif index.negates(term):  # "spf: none" contradicts "SPF"
                    problems.append(f"'{term}': the facts say it has none")
                elif _has_term(index.text_norm, term) or _stems_in(term, index.stems):
                    evidence += index.lines_with(term)
                else:
                    problems.append(f"'{term}' is not in the facts")
        # 3. compatibility targets (names and model numbers)
        for m in COMPAT.finditer(text):
            for token in re.findall(r"\b[A-Z][\w\-]*\d[\w\-]*\b|\b[A-Z]{2,}[\w\-]*\b|(?<=\s)[A-Z][a-z]+\b",
                                    m.group("target")):
                hard = True
                if not _has_term(index.text_norm, fold(token)):
                    problems.append(f"compatibility with '{token}' is not in the facts")
        # 4. names in a title: a capitalised word the facts lack, next to a word of the product's name, is a name
        #    the model changed or invented ("Sprint Ridge" for "Summit Ridge", "Northwild Trail Tent")
        if where == "title":
            words = re.findall(r"[\w'&-]+", text)
            for i, token in enumerate(words):
                if not token[:1].isupper() or len(token) < 3 or _has_term(index.text_norm, fold(token)):
                    continue
                if {fold(w) for w in words[max(0, i - 1):i + 2] if w != token} & index.names:
                    hard = True
                    problems.append(f"name '{token}' is not the catalog's")
        if problems:
            return Claim(text=text, field=where, supported=False, evidence=problems)
        if hard or not soft:
            return Claim(text=text, field=where, supported=True, evidence=_dedupe(evidence)[:3], checked=hard)
        # 4. soft check of the remaining content words
        return self._soft(text, where, index)

    def _soft(self, text: str, where: str, index: FactIndex) -> Claim:
        words = [w for w in _WORD.findall(fold(text)) if w not in STOPWORDS and w not in MARKETING
                 and len(w) > 2 and not w.isdigit()]
        if not words:
            return Claim(text=text, field=where, supported=True, checked=False)
        found = [w for w in words if stem(w) in index.stems]
        share = len(found) / len(words)
        if share >= self.min_overlap:
            best = max(index.lines, key=lambda line: sum(_has_term(fold(line), w) for w in found))
            return Claim(text=text, field=where, supported=True, evidence=[best])
        if self.embed is not None and index.line_vectors is not None and len(index.lines):
            v = self.embed([text])[0]
            sims = index.line_vectors @ v
            j = int(np.argmax(sims))
            if sims[j] >= self.min_cosine:
                return Claim(text=text, field=where, supported=True, evidence=[index.lines[j]])
        missing = [w for w in words if w not in found]
        return Claim(text=text, field=where, supported=False,
                     evidence=[f"not in the facts: {', '.join(missing[:5])}"])


def _says_absent(text_norm: str, term: str) -> bool:
    """"spf: none", "induction compatible: no", "no fragrance", "without bpa": the text says the property is absent."""
    t = re.escape(term)
    values = "|".join(sorted(NEGATIVE_VALUES))
    return re.search(rf"(?<![a-z0-9]){t}(?: [a-z]+){{0,2}}\s*:\s*({values})(?![a-z0-9])|\b(no|without|not)\s+{t}"
                     r"(?![a-z0-9])", text_norm) is not None


def is_degenerate(text: str) -> bool:
    """Looping output of a small model: a word 4 times in a row, or under 40% distinct words in a long claim."""
    words = _WORD.findall(text.lower())
    if any(words[i] == words[i + 1] == words[i + 2] == words[i + 3] for i in range(len(words) - 3)):
        return True
    return len(words) >= 12 and len(set(words)) / len(words) < 0.4


def _stems_in(term: str, stems: set[str]) -> bool:
    words = _WORD.findall(term)
    return bool(words) and len(words) > 1 and all(stem(w) in stems for w in words)


def _dedupe(items: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(items))


def catalog_vocabulary(attribute_maps: Iterable[dict[str, str]]) -> frozenset[str]:
    """Attribute values worth checking (materials, colors, ingredients, types ...) from many products."""
    vocab = set()
    for attrs in attribute_maps:
        for k, v in attrs.items():
            if not any(h in k.lower() for h in _ATTR_KEY_HINTS):
                continue
            value = fold(v)
            if len(value) >= 3 and value not in _GENERIC_VALUES and not any(c.isdigit() for c in value):
                vocab.add(value)
    return frozenset(vocab)


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text.strip()) if s.strip()]


def excerpt(text: str, limit: int) -> str:
    """Whole sentences of ``text`` up to ``limit`` characters: never a cut word (empty when the first is longer)."""
    out = ""
    for sentence in split_sentences(" ".join(text.split())):
        if len(out) + len(sentence) + 1 > limit:
            break
        out = f"{out} {sentence}".strip()
    return out


def split_claims(copy: ProductCopy) -> list[tuple[str, str]]:
    """(field, claim) pairs: the title, each bullet, each description sentence."""
    out = [("title", copy.title.strip())]
    out += [("bullet", b.strip()) for b in copy.bullets if b.strip()]
    out += [("description", s) for s in split_sentences(copy.description)]
    return out


def unsupported_rate(claims: Sequence[Claim]) -> float | None:
    return sum(not c.supported for c in claims) / len(claims) if claims else None
