"""``parse_query``: pull hard filters (price, rating, stock, brand, category) out of a shopper's free text.

Rules, not the LLM: they are exact, instant and testable, and the agent can call them on every turn. Brands and
categories are matched against the catalog's own vocabulary (normalised: "L'Oreal" finds "L&#39;Oreal Paris");
a one-word brand is taken only when that word, in titles, mostly belongs to that brand ("Classic" is a word,
not a brand filter)."""

from __future__ import annotations

import re
import weakref
from collections import Counter, defaultdict

from tools.catalog.store import Catalog
from tools.language import normalise, parse_bounds, singular
from tools.search.models import ParsedQuery, SearchFilters

RATING_RULES: list[tuple[re.Pattern, str]] = [
    (re.compile(r"\b(?:(?:at least|min(?:imum)?|over|above|rated)\s+)?([1-5](?:\.\d)?)\s*(?:\+\s*)?stars?"
                r"(?:\s*(?:and up|or more|or better|& up|\+|rating))?", re.I), "value"),
    (re.compile(r"\b(?:highly|top|best|well)[\s-]rated\b", re.I), "high"),
]
STOCK = re.compile(r"\b(?:in stock|available now|ready to ship)\b", re.I)
_SPACES = re.compile(r"\s{2,}")
_DANGLING = re.compile(r"(?:\s+\b(?:and|with|for|that|which|is|are|priced|costs?|price)\b)+\s*$", re.I)


class _Vocab:
    """Brand and category phrases of one catalog, normalised, with the one-word-brand evidence."""

    def __init__(self, catalog: Catalog) -> None:
        frame = catalog.frame()
        brands = frame["brand"].fillna("")
        counts = Counter(b for b in brands if b)
        self.brands: dict[str, list[str]] = defaultdict(list)  # normalised phrase -> catalog brands
        for b in counts:
            nb = normalise(b)
            if not nb:
                continue
            self.brands[nb].append(b)
            first = nb.split()[0]
            if first != nb and len(first) >= 4:
                self.brands[first].append(b)
        title_words: Counter = Counter()
        with_brand: Counter = Counter()
        for title, brand in zip(frame["title"], brands):
            ws = set(normalise(title).split())
            title_words.update(ws)
            nb = normalise(brand)
            for w in ws:
                if w == nb or nb.startswith(w + " "):
                    with_brand[w] += 1
        self.indicative = {w for w in self.brands if " " in w
                           or title_words[w] < 3 or with_brand[w] / max(1, title_words[w]) >= 0.5}
        self.brand_count = counts
        # normalised (singular) phrase -> category name: every non-root segment that sits under one parent
        # only ("Face" under both Makeup and Skin Care says too little), plus the head noun of multi-word leaves
        # when unique ("tent" -> "Camping Tents")
        parents: dict[str, set[str]] = defaultdict(set)
        heads: dict[str, set[str]] = defaultdict(set)
        for path in catalog.categories():
            segs = path.split(" > ")
            for depth, seg in enumerate(segs):
                if depth == 0 and len(segs) > 1:
                    continue
                key = " ".join(singular(w) for w in normalise(seg).split())
                if key:
                    parents[key].add(" > ".join(segs[:depth]))
                    self_name = seg
                    heads[key.split()[-1]].add(self_name)
        self.categories: dict[str, str] = {}
        names = {" ".join(singular(w) for w in normalise(s).split()): s
                 for p in catalog.categories() for s in p.split(" > ")}
        for key, ps in parents.items():
            if len(ps) == 1:
                self.categories[key] = names[key]
        for head, segs in heads.items():
            if head not in self.categories and len(segs) == 1 and len(head) > 3:
                self.categories[head] = next(iter(segs))


_VOCABS: "weakref.WeakKeyDictionary[Catalog, _Vocab]" = weakref.WeakKeyDictionary()


def _vocab(catalog: Catalog) -> _Vocab:
    v = _VOCABS.get(catalog)
    if v is None:
        v = _VOCABS[catalog] = _Vocab(catalog)
    return v


def _num(s: str) -> float:
    return float(s.replace(",", ""))


def _longest_phrase(words: list[str], phrases: dict, max_len: int = 5) -> tuple[str, int, int] | None:
    best = None
    for i in range(len(words)):
        for n in range(min(max_len, len(words) - i), 0, -1):
            p = " ".join(words[i:i + n])
            if p in phrases and (best is None or n > best[2] - best[1]):
                best = (p, i, i + n)
                break
    return best


def parse_query(text: str, catalog: Catalog) -> ParsedQuery:
    """Split ``text`` into a search query and ``SearchFilters``; the filter phrases are removed from the query."""
    q = text or ""
    f: dict = {}
    for rule, kind in RATING_RULES:
        m = rule.search(q)
        if m:
            f["min_rating"] = min(5.0, _num(m.group(1))) if kind == "value" else 4.0
            q = q[:m.start()] + " " + q[m.end():]
            break
    bounds = parse_bounds(q)
    if bounds.min_price is not None:
        f["min_price"] = bounds.min_price
    if bounds.max_price is not None:
        f["max_price"] = bounds.max_price
    if bounds.mentions:
        if bounds.text == q.lower():  # the shopper's own casing, price phrases blanked
            for mention in sorted(bounds.mentions, key=lambda x: -x.start):
                q = q[:mention.start] + " " + q[mention.end:]
        else:  # number words were read as digits
            q = bounds.rest
    m = STOCK.search(q)
    if m:
        f["in_stock"] = True
        q = q[:m.start()] + " " + q[m.end():]
    q = _DANGLING.sub("", _SPACES.sub(" ", q)).strip(" ,.;")

    vocab = _vocab(catalog)
    words = normalise(q).split()
    hit = _longest_phrase(words, {b: v for b, v in vocab.brands.items() if b in vocab.indicative})
    if hit:
        names = sorted(set(vocab.brands[hit[0]]), key=lambda b: -vocab.brand_count[b])
        # one brand: its catalog spelling; several sharing the words ("L'Oreal Paris", "L'Oreal Professionnel"):
        # those words as the most common brand spells them, which the brand filter matches as a prefix
        f["brand"] = names[0] if len(names) == 1 else " ".join(names[0].split()[: len(hit[0].split())])
    one_words = [singular(w) for w in words]
    cat = _longest_phrase(one_words, vocab.categories)
    if cat:
        f["category"] = vocab.categories[cat[0]]
    return ParsedQuery(query=q, filters=SearchFilters(**f))
