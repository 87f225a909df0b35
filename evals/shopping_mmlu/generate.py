"""Our own Shopping MMLU-style task set, generated from the shop's catalog with a fixed seed.

Sixteen tasks over the four skills and all five task types, written in the ShopBench JSONL format, so the same
runner and metrics score them. Every answer is derived from catalog facts (category, brand, price, reviews,
purchase order), never from a model. A task whose data the catalog lacks (reviews, interactions) is skipped and
logged. Each task draws from its own ``random.Random(f"{seed}:{task}")``: the set is reproducible and adding a task
does not change the others.
"""

from __future__ import annotations

import logging
import random
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable

from evals.shopping_mmlu.data import TRACKS, Question
from tools.catalog.models import Product

log = logging.getLogger(__name__)

UNDERSTANDING, REASONING, BEHAVIOR, MULTILINGUAL = TRACKS
DEFAULT_PER_TASK = 20
CANDIDATES = 8
RANK_CANDIDATES = 5


@dataclass
class CatalogSnapshot:
    """What the generator reads: products, review (rating, text) per product, and users' time-ordered histories."""

    products: list[Product]
    reviews: dict[str, list[tuple[float, str]]] = field(default_factory=dict)
    histories: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def from_catalog(cls, catalog) -> "CatalogSnapshot":  # noqa: ANN001 - tools.catalog.store.Catalog
        reviews: dict[str, list[tuple[float, str]]] = defaultdict(list)
        rf = catalog.review_frame()
        for pid, rating, title, text in rf[["product_id", "rating", "title", "text"]].itertuples(index=False):
            if rating == rating and text:  # not NaN
                reviews[pid].append((float(rating), f"{title}. {text}" if title else str(text)))
        inter = catalog.interaction_frame()
        histories = {u: list(items) for u, items in inter.groupby("user_id", sort=True)["item_id"]}
        return cls(products=catalog.products(), reviews=dict(reviews), histories=histories)

    @classmethod
    def from_data(cls, data) -> "CatalogSnapshot":  # noqa: ANN001 - tools.catalog.store.CatalogData
        reviews: dict[str, list[tuple[float, str]]] = defaultdict(list)
        for r in data.reviews:
            if r.rating is not None and r.text:
                reviews[r.product_id].append((r.rating, f"{r.title}. {r.text}" if r.title else r.text))
        histories: dict[str, list[str]] = defaultdict(list)
        for i in sorted(data.interactions, key=lambda x: x.timestamp):
            histories[i.user_id].append(i.item_id)
        return cls(products=list(data.products), reviews=dict(reviews), histories=dict(histories))


class _Index:
    """Lookups the task builders share."""

    def __init__(self, snap: CatalogSnapshot) -> None:
        self.snap = snap
        self.products = [p for p in snap.products if p.title and p.category]
        self.by_id = {p.id: p for p in self.products}
        self.by_leaf: dict[str, list[Product]] = defaultdict(list)
        for p in self.products:
            self.by_leaf[p.category].append(p)
        self.leaves = sorted(self.by_leaf)
        self.priced = [p for p in self.products if p.price]
        self.branded = [p for p in self.products if p.brand]


def _mc(question: str, choices: list[str], answer: int) -> str:
    return question + "".join(f"\n{i}. {c}" for i, c in enumerate(choices)) + "\nAnswer: "


def _numbered(items: list[str]) -> str:
    return "".join(f"\n{i}. {t}" for i, t in enumerate(items, 1))


def _q(task: str, track: str, task_type: str, metric: str, text: str, target: object) -> Question:
    return Question(input_field=text, output_field=target, task_name=task, task_type=task_type, metric=metric,
                    is_multiple_choice=task_type == "multiple-choice", track=track)


def _other_leaves(rng: random.Random, ix: _Index, leaf: str, k: int) -> list[str]:
    return rng.sample([x for x in ix.leaves if x != leaf], k)


# --- understanding shopping concepts ---------------------------------------------------------------------------

def title_to_category(rng: random.Random, ix: _Index, n: int, task: str = "gen_title_to_category") -> list[Question]:
    if len(ix.leaves) < 4:
        return []
    out = []
    for p in rng.sample(ix.products, min(n, len(ix.products))):
        choices = [p.category, *_other_leaves(rng, ix, p.category, 3)]
        rng.shuffle(choices)
        text = _mc(f"Which of the following product categories does the product '{p.title}' belong to?", choices, 0)
        out.append(_q(task, UNDERSTANDING, "multiple-choice", "accuracy", text, choices.index(p.category)))
    return out


def query_entity_extraction(rng: random.Random, ix: _Index, n: int) -> list[Question]:
    out = []
    for p in rng.sample(ix.branded, min(n, len(ix.branded))):
        leaf = p.category.lower()
        query = rng.choice([f"{p.brand} {leaf}", f"best {leaf} from {p.brand}", f"{p.brand} {leaf} as a gift",
                            f"cheap {p.brand} {leaf}"])
        text = (f"A user typed the query '{query}' into an online shop's search box. Extract the brand name and the "
                "product type mentioned in the query. Output the two phrases separated by a comma, brand first. "
                "Do not explain.\nOutput: ")
        out.append(_q("gen_query_entity_extraction", UNDERSTANDING, "named_entity_recognition", "micro f1", text,
                      [p.brand, p.category]))
    return out


def _explanation_reference(ix: _Index, rng: random.Random, leaf: str, spanish: bool = False) -> str:
    examples = [p.title for p in rng.sample(ix.by_leaf[leaf], min(2, len(ix.by_leaf[leaf])))]
    parent = ix.by_leaf[leaf][0].categories[-2] if len(ix.by_leaf[leaf][0].categories) > 1 else "general"
    if spanish:
        return f"{leaf} son productos de la sección {parent} de una tienda online, por ejemplo {' o '.join(examples)}."
    return f"{leaf} are products in the {parent} department of an online shop, for example {' or '.join(examples)}."


def category_explanation(rng: random.Random, ix: _Index, n: int) -> list[Question]:
    out = []
    for leaf in rng.sample(ix.leaves, min(n, len(ix.leaves))):
        text = f"Explain what the product category '{leaf}' is in one sentence.\nOutput: "
        out.append(_q("gen_category_explanation", UNDERSTANDING, "generation", "sent-transformer", text,
                      _explanation_reference(ix, rng, leaf)))
    return out


def title_generation(rng: random.Random, ix: _Index, n: int) -> list[Question]:
    out = []
    for p in rng.sample(ix.branded, min(n, len(ix.branded))):
        facts = [f"brand: {p.brand}", f"category: {p.category}"]
        facts += [f"{k}: {v}" for k, v in list(p.attributes.items())[:4]]
        text = ("Write the title of an online shop listing for the product with these facts. Output only the title."
                "\n" + "\n".join(facts) + "\nOutput: ")
        out.append(_q("gen_title_generation", UNDERSTANDING, "generation", "rougel", text, p.title))
    return out


# --- shopping knowledge reasoning ------------------------------------------------------------------------------

def _money(x: float) -> str:
    return f"${x:,.2f}"


def cheapest_product(rng: random.Random, ix: _Index, n: int) -> list[Question]:
    out = []
    if len(ix.priced) < 4:
        return out
    for _ in range(n):
        for _attempt in range(20):
            items = rng.sample(ix.priced, 4)
            if len({p.price for p in items}) == 4:
                break
        else:
            continue
        choices = [f"{p.title} ({_money(p.price)})" for p in items]
        answer = min(range(4), key=lambda i: items[i].price)
        out.append(_q("gen_cheapest_product", REASONING, "multiple-choice", "accuracy",
                      _mc("Which of the following products is the cheapest?", choices, answer), answer))
    return out


def bundle_total(rng: random.Random, ix: _Index, n: int) -> list[Question]:
    out = []
    if len(ix.priced) < 2:
        return out
    for _ in range(n):
        a, b = rng.sample(ix.priced, 2)
        qa, qb = rng.randint(1, 3), rng.randint(2, 4)
        total = round(qa * a.price + qb * b.price, 2)
        wrong = {round(a.price + b.price, 2), round(qa * a.price + b.price, 2), round(total + rng.choice([5, 10, 20]), 2),
                 round(a.price + qb * b.price, 2), round(total * 1.1, 2)}
        wrong.discard(total)
        values = [total, *rng.sample(sorted(wrong), 3)]
        rng.shuffle(values)
        text = _mc(f"A shopper buys {qa} x '{a.title}' at {_money(a.price)} each and {qb} x '{b.title}' at "
                   f"{_money(b.price)} each. What is the total price?", [_money(v) for v in values], 0)
        out.append(_q("gen_bundle_total", REASONING, "multiple-choice", "accuracy", text, values.index(total)))
    return out


def _candidates(rng: random.Random, ix: _Index, leaf: str, n_true: int, exclude: set[str]) -> tuple[list[Product], list[int]]:
    same = [p for p in ix.by_leaf[leaf] if p.id not in exclude]
    pos = rng.sample(same, n_true)
    others = [p for p in ix.products if p.category != leaf]
    neg = rng.sample(others, CANDIDATES - n_true)
    cands = pos + neg
    rng.shuffle(cands)
    truth = sorted(i for i, p in enumerate(cands, 1) if p.category == leaf)
    return cands, truth


def same_category_retrieval(rng: random.Random, ix: _Index, n: int) -> list[Question]:
    out = []
    leaves = [leaf for leaf in ix.leaves if len(ix.by_leaf[leaf]) >= 4]
    if not leaves or len(ix.leaves) < 2:
        return out
    for _ in range(n):
        leaf = rng.choice(leaves)
        anchor = rng.choice(ix.by_leaf[leaf])
        cands, truth = _candidates(rng, ix, leaf, 3, {anchor.id})
        text = (f"A product entitled '{anchor.title}' is sold in an online shop. Which 3 of the following products "
                f"belong to the same product category?{_numbered([p.title for p in cands])}\n"
                "Answer only with the 3 product numbers separated by commas, e.g. 1, 2, 3. Do not explain.\nOutput: ")
        out.append(_q("gen_same_category_retrieval", REASONING, "retrieval", "hit rate@3", text, truth))
    return out


# --- user behavior alignment -----------------------------------------------------------------------------------

def next_purchase(rng: random.Random, ix: _Index, n: int) -> list[Question]:
    users = [u for u, h in sorted(ix.snap.histories.items()) if len(h) >= 4 and all(i in ix.by_id for i in h)]
    out = []
    for user in rng.sample(users, min(n, len(users))):
        history = ix.snap.histories[user]
        k = rng.randint(3, len(history) - 1)
        seen, nxt = history[:k], history[k]
        pool = [p for p in ix.products if p.id not in set(history)]
        if len(pool) < 3:
            continue
        choices = [ix.by_id[nxt], *rng.sample(pool, 3)]
        rng.shuffle(choices)
        shown = "; ".join(f"'{ix.by_id[i].title}'" for i in seen[-3:])
        text = _mc(f"A user of an online shop bought these products, oldest first: {shown}. Which of the following "
                   "products is the user most likely to buy next?", [p.title for p in choices], 0)
        out.append(_q("gen_next_purchase", BEHAVIOR, "multiple-choice", "accuracy", text,
                      [p.id for p in choices].index(nxt)))
    return out


def review_rating(rng: random.Random, ix: _Index, n: int) -> list[Question]:
    pool = [(pid, r, t) for pid, rs in sorted(ix.snap.reviews.items()) if pid in ix.by_id
            for r, t in rs if float(r).is_integer() and 1 <= r <= 5]
    out = []
    for pid, rating, text in rng.sample(pool, min(n, len(pool))):
        prompt = ("Evaluate the following product review on a scale of 1 to 5, with 1 being very negative and 5 being "
                  f"very positive.\nProduct: {ix.by_id[pid].title}\nReview: {' '.join(text.split())}\nAnswer: ")
        out.append(_q("gen_review_rating_prediction", BEHAVIOR, "multiple-choice", "accuracy", prompt, int(rating)))
    return out


def query_product_retrieval(rng: random.Random, ix: _Index, n: int) -> list[Question]:
    out = []
    leaves = [leaf for leaf in ix.leaves if len(ix.by_leaf[leaf]) >= 3]
    if not leaves or len(ix.leaves) < 2:
        return out
    for _ in range(n):
        leaf = rng.choice(leaves)
        cands, truth = _candidates(rng, ix, leaf, 3, set())
        query = rng.choice([leaf.lower(), f"good {leaf.lower()}", f"{leaf.lower()} deals"])
        text = (f"A user searched for '{query}' in an online shop and was shown the following products:"
                f"{_numbered([p.title for p in cands])}\nWhich 3 products is the user most likely to click on? "
                "Answer only with the 3 product numbers separated by commas. Do not explain.\nOutput: ")
        out.append(_q("gen_query_product_retrieval", BEHAVIOR, "retrieval", "hit rate@3", text, truth))
    return out


def query_product_ranking(rng: random.Random, ix: _Index, n: int) -> list[Question]:
    """ESCI-style relevance: exact (brand and category) 1.0, substitute (category) 0.1, complement (department)
    0.01, irrelevant 0."""
    out = []
    anchors = [p for p in ix.branded if len(ix.by_leaf[p.category]) >= 3]
    for p in rng.sample(anchors, min(n, len(anchors))):
        subs = [x for x in ix.by_leaf[p.category] if x.brand != p.brand]
        dept = [x for x in ix.products if x.category != p.category and x.categories[:1] == p.categories[:1]]
        irrelevant = [x for x in ix.products if x.categories[:1] != p.categories[:1]]
        picked: list[tuple[Product, float]] = [(p, 1.0)]
        picked += [(x, 0.1) for x in rng.sample(subs, min(2, len(subs)))]
        picked += [(x, 0.01) for x in rng.sample(dept, min(1, len(dept)))]
        fill = irrelevant or [x for x in ix.products if x.category != p.category]
        picked += [(x, 0.0) for x in rng.sample(fill, min(RANK_CANDIDATES - len(picked), len(fill)))]
        rng.shuffle(picked)
        query = f"{p.brand} {p.category.lower()}"
        text = (f"A user searched for '{query}' in an online shop. Rank the following {len(picked)} products by their "
                f"relevance to the query, most relevant first.{_numbered([x.title for x, _ in picked])}\n"
                "Answer only with the product numbers separated by commas; each number appears once. Do not explain."
                "\nOutput: ")
        out.append(_q("gen_query_product_ranking", BEHAVIOR, "ranking", "ndcg", text, [r for _, r in picked]))
    return out


# --- multi-lingual abilities -----------------------------------------------------------------------------------

_CATEGORY_Q = {
    "de": "Zu welcher der folgenden Produktkategorien gehört das Produkt '{title}'?",
    "es": "¿A cuál de las siguientes categorías de productos pertenece el producto '{title}'?",
    "fr": "À laquelle des catégories de produits suivantes appartient le produit '{title}' ?",
    "ja": "商品「{title}」は次のどの商品カテゴリーに属しますか？",
}
_BRAND_Q = {
    "de": "Extrahiere den Markennamen aus dem folgenden Produkttitel: '{title}'. Gib nur den Markennamen aus.",
    "es": "Extrae el nombre de la marca del siguiente título de producto: '{title}'. Escribe solo la marca.",
    "fr": "Extrais le nom de la marque du titre de produit suivant : '{title}'. Écris seulement la marque.",
}
_SHORT_TITLE_Q = {
    "de": "Schreibe einen kurzen Produkttitel im Format 'Marke Kategorie' für das Produkt '{title}'.",
    "es": "Escribe un título corto con el formato 'Marca Categoría' para el producto '{title}'.",
    "fr": "Écris un titre court au format « Marque Catégorie » pour le produit '{title}'.",
}


def multilingual_category(rng: random.Random, ix: _Index, n: int) -> list[Question]:
    if len(ix.leaves) < 4:
        return []
    out = []
    langs = sorted(_CATEGORY_Q)
    for i, p in enumerate(rng.sample(ix.products, min(n, len(ix.products)))):
        choices = [p.category, *_other_leaves(rng, ix, p.category, 3)]
        rng.shuffle(choices)
        text = _mc(_CATEGORY_Q[langs[i % len(langs)]].format(title=p.title), choices, 0)
        out.append(_q("gen_multilingual_category", MULTILINGUAL, "multiple-choice", "accuracy", text,
                      choices.index(p.category)))
    return out


def multilingual_brand_extraction(rng: random.Random, ix: _Index, n: int) -> list[Question]:
    langs = sorted(_BRAND_Q)
    pool = [p for p in ix.branded if p.brand.lower() in p.title.lower()]
    return [
        _q("gen_multilingual_brand_extraction", MULTILINGUAL, "named_entity_recognition", "micro f1",
           _BRAND_Q[langs[i % len(langs)]].format(title=p.title) + "\nOutput: ", [p.brand])
        for i, p in enumerate(rng.sample(pool, min(n, len(pool))))
    ]


def multilingual_short_title(rng: random.Random, ix: _Index, n: int) -> list[Question]:
    langs = sorted(_SHORT_TITLE_Q)
    return [
        _q("gen_multilingual_short_title", MULTILINGUAL, "generation", "bleu",
           _SHORT_TITLE_Q[langs[i % len(langs)]].format(title=p.title) + "\nOutput: ", f"{p.brand} {p.category}")
        for i, p in enumerate(rng.sample(ix.branded, min(n, len(ix.branded))))
    ]


def japanese_short_title(rng: random.Random, ix: _Index, n: int) -> list[Question]:
    return [
        _q("gen_japanese_short_title", MULTILINGUAL, "generation", "jp-bleu",
           f"商品「{p.title}」について、「ブランド名のカテゴリー名」の形式で短い商品名を書いてください。\nOutput: ",
           f"{p.brand}の{p.category}")
        for p in rng.sample(ix.branded, min(n, len(ix.branded)))
    ]


def spanish_category_explanation(rng: random.Random, ix: _Index, n: int) -> list[Question]:
    return [
        _q("gen_spanish_category_explanation", MULTILINGUAL, "generation", "multilingual-sent-transformer",
           f"Explica en una frase qué es la categoría de productos '{leaf}'.\nOutput: ",
           _explanation_reference(ix, rng, leaf, spanish=True))
        for leaf in rng.sample(ix.leaves, min(n, len(ix.leaves)))
    ]


TASKS: dict[str, Callable[[random.Random, _Index, int], list[Question]]] = {
    "gen_title_to_category": title_to_category,
    "gen_query_entity_extraction": query_entity_extraction,
    "gen_category_explanation": category_explanation,
    "gen_title_generation": title_generation,
    "gen_cheapest_product": cheapest_product,
    "gen_bundle_total": bundle_total,
    "gen_same_category_retrieval": same_category_retrieval,
    "gen_next_purchase": next_purchase,
    "gen_review_rating_prediction": review_rating,
    "gen_query_product_retrieval": query_product_retrieval,
    "gen_query_product_ranking": query_product_ranking,
    "gen_multilingual_category": multilingual_category,
    "gen_multilingual_brand_extraction": multilingual_brand_extraction,
    "gen_multilingual_short_title": multilingual_short_title,
    "gen_japanese_short_title": japanese_short_title,
    "gen_spanish_category_explanation": spanish_category_explanation,
}


def generate_tasks(snapshot: CatalogSnapshot, seed: int = 0, per_task: int = DEFAULT_PER_TASK) -> list[Question]:
    """The generated task set: up to ``per_task`` questions for each task the catalog has data for."""
    ix = _Index(snapshot)
    questions: list[Question] = []
    for name, build in TASKS.items():
        made = build(random.Random(f"{seed}:{name}"), ix, per_task)
        if not made:
            log.warning("task %s skipped: the catalog lacks the data it needs", name)
        questions += made
    return questions
