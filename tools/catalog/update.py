"""``apply_update``: a partial feed (new and changed products, deletions) over the current catalog version.

Products keep their place in the catalog (changed ones are replaced where they were, new ones are appended in
feed order), so the index sync that follows embeds exactly the added and changed products. Reviews and
interactions of the current version are kept, less those of removed products, plus any the feed brings. The
current version's text was cleaned when it was written; only what the feed brings is cleaned here.
"""

from __future__ import annotations

import dataclasses

import pandas as pd

from tools.catalog.models import Review
from tools.catalog.sanitize import clean_product, clean_review
from tools.catalog.store import Catalog, CatalogData


def apply_update(current: Catalog, feed: CatalogData, deletions: set[str]) -> CatalogData:
    """The whole next version: ``current`` with ``feed``'s products added or replaced and ``deletions`` (plus the
    ids the feed itself marks deleted) removed; ``change`` counts added / changed / removed / unchanged."""
    incoming = {p.id: clean_product(p)[0] for p in feed.products}
    removed_ids = (set(deletions) | set(feed.deleted)) - set(incoming)
    products, changed, unchanged, removed = [], 0, 0, 0
    for old in current.products():
        pid = old.id
        if pid in removed_ids:
            removed += 1
            continue
        new = incoming.pop(pid, None)
        if new is None:
            products.append(old)
        elif new == old:
            products.append(old)
            unchanged += 1
        else:
            products.append(new)
            changed += 1
    added = list(incoming.values())
    products += added
    keep = {p.id for p in products}
    review_ids = {r.id for r in feed.reviews}
    reviews = [r for r in _reviews(current) if r.product_id in keep and r.id not in review_ids]
    reviews += [clean_review(r)[0] for r in feed.reviews if r.product_id in keep]
    interactions = [i for i in current.interactions() if i.item_id in keep]
    interactions += [i for i in feed.interactions if i.item_id in keep]
    change = {"added": len(added), "changed": changed, "removed": removed, "unchanged": unchanged,
              "kept": len(products) - len(added) - changed - unchanged,
              "deletions_not_found": len(removed_ids - set(current.ids))}
    return dataclasses.replace(
        feed, products=products, reviews=reviews, interactions=interactions,
        user_names={**current.user_names(), **feed.user_names},
        source=f"update {feed.source} over {current.version}", change=change, sanitized=True)


def _reviews(catalog: Catalog) -> list[Review]:
    out = []
    for r in catalog.review_frame().to_dict("records"):
        out.append(Review(id=r["id"], product_id=r["product_id"],
                          user_id=r["user_id"] if isinstance(r["user_id"], str) else None,
                          rating=None if pd.isna(r["rating"]) else float(r["rating"]),
                          title=r["title"] or "", text=r["text"] or "",
                          timestamp=None if pd.isna(r["timestamp"]) else int(r["timestamp"])))
    return out

