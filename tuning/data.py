"""``shopagent tune data``: seeded, chat-format instruction examples generated from a loaded catalog.

Kinds: ``planner`` (next action + arguments, single turn and with an earlier turn and shown products; greetings,
off-topic text, rule changes, pasted reviews and code map to ``chat``), ``reply`` (grounded answers from tool
results), ``copy`` (product copy from facts) and ``mmlu`` (the Shopping MMLU-style task types of
``evals.shopping_mmlu.generate``, drawn with other seeds; the evaluation's own items are excluded).

The held-out split uses the other half of :mod:`tuning.templates` and brands/categories that the training split
never names, so its loss measures generalisation to new phrasings and vocabulary.
"""

from __future__ import annotations

import hashlib
import html
import json
import logging
import random
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from pydantic import BaseModel, Field

from core.errors import ShopagentError
from agent.planners import tuned_prompt as P
from tuning.templates import HELDOUT, NUMBER_WORDS, TRAIN, Bank

log = logging.getLogger(__name__)

ACTIONS = ("search", "refine", "recommend", "similar", "describe", "compare", "chat")
EVAL_SEED = 0
PRICES = (10, 15, 20, 25, 30, 40, 50, 60, 75, 80, 100, 120, 150, 200, 250, 300)


class DataConfig(BaseModel):
    seed: int = 0
    planner: int = Field(520, description="Planner examples in the training split.")
    reply: int = 50
    copy_: int = Field(30, alias="copy")
    mmlu: int = Field(60, description="Shopping MMLU-style examples (other seeds than the evaluation's).")
    heldout_fraction: float = 0.15
    max_brands: int = 400

    model_config = {"populate_by_name": True}


class Example(BaseModel):
    messages: list[dict[str, str]]
    kind: str
    action: str | None = None
    catalog: str = ""


@dataclass
class ShopWords:
    """What the generator draws from one catalog, split into a training and a held-out half."""

    name: str
    products: list[Any]
    brands: dict[str, list[str]]  # split -> brands
    leaves: dict[str, list[str]]  # split -> categories (leaves)
    reviews: list[str]


def _held_out(name: str, fraction: float) -> bool:
    return int(hashlib.sha1(name.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF < fraction


def shop_words(catalog: Any, name: str, cfg: DataConfig) -> ShopWords:
    products = [p for p in catalog.products() if p.title and p.category]
    if not products:
        raise ShopagentError(f"the catalog {name} has no products with a title and a category: load another one")
    rng = random.Random(f"{cfg.seed}:brands:{name}")
    counts = Counter(html.unescape(p.brand) for p in products if p.brand)
    brands = [b for b, _ in counts.most_common(cfg.max_brands * 3)]
    brands = rng.sample(brands, min(len(brands), cfg.max_brands)) if brands else []
    leaves = sorted({p.category for p in products})
    split = lambda xs: {"train": [x for x in xs if not _held_out(x, cfg.heldout_fraction)],  # noqa: E731
                        "heldout": [x for x in xs if _held_out(x, cfg.heldout_fraction)]}
    b, c = split(brands), split(leaves)
    for part in (b, c):
        if not part["heldout"] and len(part["train"]) > 3:
            part["heldout"].append(part["train"].pop())
        if not part["train"]:
            part["train"] = list(part["heldout"])
    reviews: list[str] = []
    try:
        frame = catalog.review_frame()
        reviews = [str(t) for t in frame["text"].dropna().head(2000) if 20 < len(str(t)) < 220]
    except Exception:  # noqa: BLE001 - a catalog without reviews: synthetic review-like text instead
        reviews = []
    return ShopWords(name=name, products=products, brands=b, leaves=c, reviews=reviews)


# --- surface forms: how shoppers type catalog words ------------------------------------------------------------

def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 2)
    return word[:i] + word[i + 1] + word[i] + word[i + 2:]


def typed_category(rng: random.Random, leaf: str) -> str:
    text = leaf.lower().replace(" & ", " and ")
    if rng.random() < 0.3 and text.endswith("s") and " " not in text.split(" and ")[0]:
        text = text.split(" and ")[0].rstrip("s")
    if rng.random() < 0.1:
        words = text.split()
        j = rng.randrange(len(words))
        words[j] = _typo(rng, words[j])
        text = " ".join(words)
    return text


def typed_brand(rng: random.Random, brand: str) -> str:
    r = rng.random()
    if r < 0.25:
        return brand.lower()
    if r < 0.4:
        return brand.replace("'", "").replace("’", "")
    return brand


def price_phrase(rng: random.Random, bank: Bank) -> tuple[str, float | None, float | None]:
    kind = rng.choices(("max", "min", "range"), weights=(5, 2, 2))[0]
    if kind == "range":
        a, b = sorted(rng.sample(PRICES, 2))
        return rng.choice(bank.range_price).format(a=a, b=b), float(a), float(b)
    p = rng.choice(PRICES)
    template = rng.choice(bank.max_price if kind == "max" else bank.min_price)
    if "{pw}" in template:
        p = rng.choice(sorted(NUMBER_WORDS))
    text = template.format(p=p, pw=NUMBER_WORDS.get(p, p))
    return text, (float(p) if kind == "min" else None), (float(p) if kind == "max" else None)


def position_phrase(rng: random.Random, bank: Bank, n_shown: int) -> tuple[str, int]:
    if rng.random() < 0.15:
        return rng.choice(bank.last), n_shown
    pos = rng.randint(1, n_shown)
    return rng.choice(bank.positions[pos]), pos


# --- planner examples -----------------------------------------------------------------------------------------

def _shown(rng: random.Random, words: ShopWords, leaf: str | None) -> list[Any]:
    pool = [p for p in words.products if p.category == leaf] if leaf else []
    if len(pool) < 4:
        pool = words.products
    return rng.sample(pool, min(4, len(pool)))


def _review_text(rng: random.Random, words: ShopWords, leaf: str) -> str:
    if words.reviews and rng.random() < 0.7:
        return rng.choice(words.reviews)
    noun = leaf.lower()
    return rng.choice((f"Love these {noun}! Five stars, would buy again.", f"Terrible {noun}, broke after a week.",
                       f"The {noun} arrived late but works fine. 4/5", f"Not worth the money. The {noun} smell odd."))


def planner_example(rng: random.Random, words: ShopWords, split: str) -> Example:
    bank = TRAIN if split == "train" else HELDOUT
    leaves, brands = words.leaves[split], words.brands[split] or words.brands["train"]
    leaf = rng.choice(leaves)
    brand = rng.choice(brands) if brands else None
    action = rng.choices(ACTIONS, weights=(30, 14, 6, 9, 10, 10, 21))[0]
    n_shown = 4 if action not in ("search", "recommend", "chat") or rng.random() < 0.7 else 0
    shown = _shown(rng, words, leaf) if n_shown else []
    n_shown = len(shown)
    args: dict[str, Any] = {}
    cat_text = typed_category(rng, leaf)
    if action == "search":
        form = rng.choices(("plain", "brand", "price", "brand_price", "thing"), weights=(3, 2, 3, 2, 2))[0]
        if not brand and "brand" in form:
            form = "plain"
        template = rng.choice(getattr(bank, "search" if form == "plain" else f"search_{form}"))
        fill: dict[str, str] = {"cat": cat_text}
        if "brand" in form:
            fill["brand"] = typed_brand(rng, brand)
            args["brand"] = brand
        if "price" in form:
            fill["price"], args["min_price"], args["max_price"] = price_phrase(rng, bank)
        if form == "thing":
            fill["thing"] = rng.choice(bank.things).format(n=rng.choice((2, 4, 6, 8, 10, 12, 30, 50, 100, 250)))
        message = template.format(**fill)
        if "{cat}" in template:
            args["category"] = leaf
            args["query"] = cat_text
        else:
            args["query"] = fill.get("brand") or cat_text
    elif action == "refine":
        form = rng.choice(("cheaper", "brand", "price") if brand else ("cheaper", "price"))
        template = rng.choice(getattr(bank, f"refine_{form}"))
        fill = {}
        if form == "cheaper":
            args["cheaper"] = True
        elif form == "brand":
            fill["brand"] = typed_brand(rng, brand)
            args["brand"] = brand
        else:
            fill["price"], args["min_price"], args["max_price"] = price_phrase(rng, bank)
        message = template.format(**fill)
    elif action in ("similar", "describe"):
        pos_text, pos = position_phrase(rng, bank, n_shown)
        message = rng.choice(getattr(bank, action)).format(pos=pos_text)
        args["item"] = pos
    elif action == "compare":
        if rng.random() < 0.25:
            message = rng.choice(bank.compare_all)
            args["items"] = list(range(1, n_shown + 1))
        else:
            (t1, p1), (t2, p2) = position_phrase(rng, bank, n_shown), position_phrase(rng, bank, n_shown)
            while p2 == p1:
                t2, p2 = position_phrase(rng, bank, n_shown)
            message = rng.choice(bank.compare).format(pos=t1, pos2=t2)
            args["items"] = [p1, p2]
    elif action == "recommend":
        message = rng.choice(bank.recommend)
    else:
        sub = rng.choices(("chat", "injection", "code", "review"), weights=(4, 2, 1, 2))[0]
        message = _review_text(rng, words, leaf) if sub == "review" else rng.choice(getattr(bank, sub))
    if rng.random() < 0.3:
        message = message[0].upper() + message[1:]
    history: list[dict[str, str]] = []
    if shown and rng.random() < 0.4:
        history = [{"role": "user", "content": f"show me {leaf.lower()}"},
                   {"role": "assistant", "content": f"Here are {len(shown)} {leaf.lower()}."}]
    lines = [P.shown_line(i, p.title, p.brand, p.price) for i, p in enumerate(shown, 1)]
    messages = P.planner_messages(message, lines, history)
    messages.append({"role": "assistant", "content": P.planner_answer(action, args)})
    return Example(messages=messages, kind="planner", action=action, catalog=words.name)


# --- replies and product copy ----------------------------------------------------------------------------------

def _money(x: float | None) -> str:
    return f"${x:.2f}" if x is not None else "no listed price"


def reply_example(rng: random.Random, words: ShopWords, split: str) -> Example:
    leaf = rng.choice(words.leaves[split])
    items = _shown(rng, words, leaf)[: rng.randint(2, 4)]
    facts = "\n".join(f"[{i}] {p.title[:60]} | {p.brand or 'no brand'} | {_money(p.price)}"
                      + (f" | rated {p.rating:.1f}" if p.rating else "") for i, p in enumerate(items, 1))
    question = rng.choice((f"show me {leaf.lower()}", f"which {leaf.lower()} is cheapest?",
                           f"any good {leaf.lower()}?"))
    priced = [(i, p) for i, p in enumerate(items, 1) if p.price is not None]
    answer = f"I found {len(items)} {leaf.lower()}: " + "; ".join(
        f"[{i}] {p.title[:40]} at {_money(p.price)}" for i, p in enumerate(items, 1)) + "."
    if priced:
        i, p = min(priced, key=lambda ip: ip[1].price)
        answer += f" The cheapest is [{i}] at {_money(p.price)}."
    return Example(messages=[{"role": "system", "content": P.REPLY_SYSTEM},
                             {"role": "user", "content": f"Products:\n{facts}\nShopper: {question}"},
                             {"role": "assistant", "content": answer}], kind="reply", catalog=words.name)


def copy_example(rng: random.Random, words: ShopWords, split: str) -> Example:
    leaf = rng.choice(words.leaves[split])
    p = rng.choice([x for x in words.products if x.category == leaf] or words.products)
    facts = f"title: {p.title[:80]}\nbrand: {p.brand or 'unknown'}\ncategory: {p.category}\nprice: {_money(p.price)}"
    text = (f"{p.title[:80]} is a {p.category.lower()} product" + (f" from {p.brand}" if p.brand else "")
            + (f", priced at {_money(p.price)}" if p.price is not None else "") + ".")
    if p.rating:
        text += f" Shoppers rate it {p.rating:.1f} out of 5."
    return Example(messages=[{"role": "system", "content": P.COPY_SYSTEM},
                             {"role": "user", "content": f"Write a short description.\n{facts}"},
                             {"role": "assistant", "content": text}], kind="copy", catalog=words.name)


# --- Shopping MMLU-style tasks --------------------------------------------------------------------------------

def mmlu_target(question: Any) -> str:
    """The answer text a perfect model writes for a generated question (what the metrics read)."""
    truth = question.output_field
    if question.metric == "ndcg":
        order = sorted(range(len(truth)), key=lambda i: -float(truth[i]))
        return ", ".join(str(i + 1) for i in order)
    if isinstance(truth, list):
        return ", ".join(str(t) for t in truth)
    return str(truth)


def mmlu_examples(catalog: Any, n: int, seed: int, exclude: set[str], name: str) -> list[Example]:
    """``n`` generated Shopping MMLU-style questions (seeds other than the evaluation's), never an eval item."""
    from evals.shopping_mmlu.generate import CatalogSnapshot, generate_tasks
    from evals.shopping_mmlu.prompts import messages as mmlu_messages

    if n <= 0:
        return []
    snapshot = CatalogSnapshot.from_catalog(catalog)
    out: list[Example] = []
    per_task = max(2, n // 12)
    for k in range(1, 6):
        for q in generate_tasks(snapshot, seed=seed * 1000 + 100 + k, per_task=per_task):
            if q.key in exclude or q.input_field in exclude or len(q.input_field) > 1400:
                continue
            out.append(Example(messages=mmlu_messages(q) + [{"role": "assistant", "content": mmlu_target(q)}],
                               kind="mmlu", action=q.task_name, catalog=name))
        if len(out) >= n:
            break
    random.Random(seed).shuffle(out)
    return out[:n]


def eval_item_keys(catalog: Any, per_task_values: Sequence[int] = (5, 10, 20)) -> set[str]:
    """Keys and texts of every item the evaluation may ask (seed 0), so training never sees them."""
    from evals.shopping_mmlu.generate import CatalogSnapshot, generate_tasks

    snapshot = CatalogSnapshot.from_catalog(catalog)
    keys: set[str] = set()
    for per_task in per_task_values:
        for q in generate_tasks(snapshot, seed=EVAL_SEED, per_task=per_task):
            keys.add(q.key)
            keys.add(q.input_field)
    return keys


# --- the data set ---------------------------------------------------------------------------------------------

def build_examples(catalogs: Sequence[tuple[str, Any]], cfg: DataConfig) -> dict[str, list[Example]]:
    """Training and held-out examples from ``catalogs`` ((name, Catalog) pairs), split evenly among them."""
    if not catalogs:
        raise ShopagentError("no catalog loaded: run `shopagent data demo` (or `shopagent data load ...`) first")
    out: dict[str, list[Example]] = {"train": [], "heldout": []}
    share = 1.0 / len(catalogs)
    for name, catalog in catalogs:
        words = shop_words(catalog, name, cfg)
        for split in ("train", "heldout"):
            scale = share * (1.0 if split == "train" else cfg.heldout_fraction)
            rng = random.Random(f"{cfg.seed}:{split}:{name}")
            out[split] += [planner_example(rng, words, split) for _ in range(round(cfg.planner * scale))]
            out[split] += [reply_example(rng, words, split) for _ in range(round(cfg.reply * scale))]
            out[split] += [copy_example(rng, words, split) for _ in range(round(cfg.copy_ * scale))]
        n_mmlu = round(cfg.mmlu * share * (1 + cfg.heldout_fraction))
        mmlu = mmlu_examples(catalog, n_mmlu, cfg.seed, eval_item_keys(catalog), name) if n_mmlu else []
        cut = round(len(mmlu) * cfg.heldout_fraction / (1 + cfg.heldout_fraction))
        out["heldout"] += mmlu[:cut]
        out["train"] += mmlu[cut:]
    for split, rows in out.items():
        random.Random(f"{cfg.seed}:shuffle:{split}").shuffle(rows)
    check_examples(out["train"], "training")
    return out


def check_examples(rows: Sequence[Example], what: str) -> None:
    """One clear line when the planner data lacks an action (the model could never learn it)."""
    have = {r.action for r in rows if r.kind == "planner"}
    missing = [a for a in ACTIONS if a not in have]
    if missing:
        raise ShopagentError(f"the {what} data has no planner examples of {', '.join(missing)}: "
                             "generate more with `shopagent tune data --planner N` (N >= 50)")


def write_examples(out_dir: Path, splits: dict[str, list[Example]], meta: dict[str, Any]) -> dict[str, Any]:
    """``train.jsonl``, ``heldout.jsonl`` and ``manifest.json`` in ``out_dir`` (written, then renamed)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    manifest = dict(meta)
    for split, rows in splits.items():
        tmp = out_dir / f".{split}.jsonl.tmp"
        tmp.write_text("".join(r.model_dump_json() + "\n" for r in rows))
        tmp.replace(out_dir / f"{split}.jsonl")
        manifest[split] = {"examples": len(rows), "kinds": dict(Counter(r.kind for r in rows)),
                           "actions": dict(Counter(r.action for r in rows if r.kind == "planner"))}
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=1))
    return manifest


def read_examples(path: Path) -> list[Example]:
    if not path.is_file():
        raise ShopagentError(f"no training data at {path}: run `shopagent tune data` first")
    rows = []
    for i, line in enumerate(path.read_text().splitlines(), 1):
        if line.strip():
            try:
                rows.append(Example.model_validate_json(line))
            except ValueError as exc:
                raise ShopagentError(f"{path} line {i} is not a chat example ({str(exc).splitlines()[0]}): "
                                     "regenerate it with `shopagent tune data`") from exc
    return rows
