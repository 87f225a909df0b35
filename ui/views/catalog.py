"""Catalog & recommendations: search the catalog with filters; a shopper's history beside their recommendations."""

from __future__ import annotations

import streamlit as st

from tools.recommend.models import RecommendRequest
from tools.search.models import SearchFilters, SearchRequest
from ui.auth import require_owner
from ui.lib import fmt_price, fmt_rating, guard, require_catalog, sidebar_status, toolbox

box = toolbox()
require_owner(box.settings)
sidebar_status(box)
st.title("Catalog & recommendations")
if not require_catalog(box):
    st.stop()

catalog = box.catalog
browse, shoppers = st.tabs(["Browse & search", "Shoppers"])

with browse:
    frame = catalog.frame()
    c1, c2, c3 = st.columns([3, 2, 2])
    query = c1.text_input("Search", placeholder="e.g. waterproof trail running shoes", key="cat_query")
    category = c2.selectbox("Category", ["(any)"] + catalog.categories(), key="cat_category")
    brand = c3.selectbox("Brand", ["(any)"] + catalog.brands(), key="cat_brand")
    c4, c5, c6 = st.columns([3, 2, 2])
    top = float(frame["price"].max()) if frame["price"].notna().any() else 1000.0
    low, high = c4.slider("Price", 0.0, max(top, 1.0), (0.0, max(top, 1.0)), key="cat_price")
    min_rating = c5.slider("Minimum rating", 0.0, 5.0, 0.0, 0.5, key="cat_rating")
    in_stock = c6.checkbox("In stock only", key="cat_stock")
    k = c6.number_input("Results", 1, 200, 20, key="cat_k")
    filters = SearchFilters(
        min_price=low if low > 0 else None, max_price=high if high < top else None,
        brand=None if brand == "(any)" else brand,
        category=None if category == "(any)" else category.split(" > ")[-1] if " > " in category else category,
        min_rating=min_rating or None, in_stock=True if in_stock else None)
    with guard("search"):
        response = box.search(SearchRequest(query=query, filters=filters, k=int(k)))
        if response.message:
            st.caption(response.message)
        st.dataframe([{"id": h.product.id, "title": h.product.title, "brand": h.product.brand or "",
                       "category": h.product.category, "price": h.product.price, "rating": h.product.rating,
                       "reviews": h.product.rating_count, "in stock": h.product.in_stock, "score": h.score,
                       "why": h.snippet} for h in response.hits], hide_index=True, width="stretch",
                     key="cat_results")
        st.caption(f"{len(response.hits)} shown of {response.n_candidates} passing the filters "
                   f"({response.path or 'search'})")

with shoppers:
    users = catalog.users()
    if not users:
        st.info("This catalog has no shoppers (no interactions): load data with user behaviour to see "
                "personal recommendations.")
    else:
        user = st.selectbox("Shopper", users, key="cat_user")
        n = st.slider("Recommendations", 3, 20, 8, key="cat_n")
        profile = catalog.profile(user)
        left, right = st.columns(2)
        with left:
            st.subheader(f"History of {profile.name or user}")
            rows = []
            for pid in profile.history[-30:][::-1]:
                if pid in catalog:
                    p = catalog.get(pid)
                    rows.append({"title": p.title, "category": p.category, "price": fmt_price(p.price),
                                 "rating": fmt_rating(p.rating)})
            st.dataframe(rows, hide_index=True, width="stretch", key="cat_history")
            st.caption(f"{len(profile.history)} items, most recent first")
        with right, guard("recommendation"):
            st.subheader("Recommended (blended)")
            rec = box.recommend(RecommendRequest(user_id=user, k=n))
            if rec.message:
                st.caption(rec.message)
            st.dataframe([{"title": r.title or r.product_id, "because": r.because, "model": r.model,
                           "score": r.score} for r in rec.items], hide_index=True, width="stretch",
                         key="cat_recs")
        by_model = box.recommend_by_model(user, n)
        if by_model:
            st.subheader("Each model on its own")
            cols = st.columns(len(by_model))
            for col, (name, items) in zip(cols, by_model.items()):
                with col:
                    st.markdown(f"**{name}**")
                    for pid, score in items:
                        title = catalog.get(pid).title if pid in catalog else pid
                        st.caption(f"{title} · {score:.3f}")
        else:
            st.caption("Per-model lists appear once the recommenders are trained (`shopagent recsys train`).")
