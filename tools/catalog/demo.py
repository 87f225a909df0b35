"""The built-in demo catalog: a seeded, generated shop so that everything works with no data at all.

Several departments (running, outdoor, skincare, headphones, kitchen), brands with a house style and price tier,
attributes with units, ratings that follow a hidden product quality, reviews whose text mentions the product's
attributes, and users whose time-ordered behaviour follows their category, brand and price preferences (with
follow-up purchases: running shoes, then socks).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from tools.catalog.models import Interaction, Product, Review
from tools.catalog.store import CatalogData, write_catalog

DEMO_START = 1_640_995_200  # 2022-01-01 UTC
DAY = 86_400

Attr = Callable[[random.Random], str]


def pick(*values: str) -> Attr:
    return lambda r: r.choice(values)


@dataclass
class Leaf:
    path: tuple[str, ...]
    noun: str
    brands: tuple[str, ...]
    models: tuple[str, ...]
    price: tuple[float, float]
    attrs: dict[str, Attr]
    features: tuple[str, ...]
    praise: tuple[str, ...]
    complaints: tuple[str, ...]
    title: str = "{brand} {model} {noun}"
    follow_ups: tuple[str, ...] = field(default_factory=tuple)  # nouns of leaves bought next


COLORS = pick("Black", "White", "Red", "Blue", "Navy", "Grey", "Green", "Pink", "Orange", "Yellow", "Purple", "Beige")

LEAVES: list[Leaf] = [
    Leaf(("Sports & Outdoors", "Running", "Running Shoes"), "Running Shoes",
         ("Stridewell", "Asterra", "Pacefield", "Nimbus Run", "Korra", "Velocita"),
         ("Glide 3", "Tempo Pro", "Cloudrunner", "Trail Hawk", "Daybreak", "Ultra 7", "Sprint Lite", "Ridge GTX"),
         (45, 180),
         {"color": COLORS, "size": lambda r: f"US {r.choice([6, 7, 8, 9, 10, 11, 12, 13]) + r.choice([0, 0.5]):g}",
          "gender": pick("Men's", "Women's", "Unisex"), "material": pick("engineered mesh", "knit", "synthetic"),
          "surface": pick("road", "trail", "track"), "heel drop": lambda r: f"{r.choice([0, 4, 6, 8, 10, 12])} mm",
          "weight": lambda r: f"{r.randint(190, 330)} g"},
         ("breathable {material} upper", "{heel drop} heel-to-toe drop", "grippy rubber outsole for {surface} runs",
          "cushioned midsole for long distances", "reflective details for low light"),
         ("super comfortable from the first run", "great cushioning on long runs", "fits true to size",
          "light and fast", "my feet stay cool in the {material}"),
         ("runs half a size small", "the {color} faded after a month", "sole wore out quickly",
          "too narrow in the toe box"),
         title="{brand} {model} {gender} {noun} - {color}", follow_ups=("Running Socks", "Water Bottle")),
    Leaf(("Sports & Outdoors", "Running", "Running Socks"), "Running Socks",
         ("Stridewell", "Pacefield", "Korra", "Fleetfoot"),
         ("No-Show", "Quarter Crew", "Cushion Crew", "Compression"), (8, 28),
         {"color": COLORS, "size": pick("S", "M", "L", "XL"), "material": pick("merino wool", "cotton blend",
                                                                               "polyester", "nylon"),
          "pack": lambda r: f"{r.choice([1, 3, 6])} pairs"},
         ("moisture-wicking {material}", "{pack} per pack", "seamless toe", "arch support band"),
         ("no blisters anymore", "soft and they stay up", "dry feet even in summer"),
         ("holes after a few washes", "thinner than expected"),
         title="{brand} {model} {noun} ({pack}) - {color}"),
    Leaf(("Sports & Outdoors", "Outdoor Recreation", "Camping Tents"), "Tent",
         ("Summit Ridge", "Trailpeak", "Northwild", "Campora"),
         ("Basecamp", "Ultralight", "Dome", "Backcountry", "Family Cabin"), (60, 450),
         {"capacity": lambda r: f"{r.choice([1, 2, 2, 3, 4, 6])}-person", "season": pick("3-season", "4-season"),
          "weight": lambda r: f"{r.uniform(0.9, 6.5):.1f} kg", "color": pick("Green", "Orange", "Grey", "Blue"),
          "material": pick("ripstop nylon", "polyester", "silnylon")},
         ("{capacity} {season} tent", "packs down to {weight}", "waterproof {material} fly", "two doors and vestibules"),
         ("stayed dry in a downpour", "easy to pitch alone", "roomy for the size"),
         ("poles feel flimsy", "condensation inside overnight", "heavier than listed"),
         title="{brand} {model} {capacity} {noun}, {season}", follow_ups=("Backpack", "Water Bottle")),
    Leaf(("Sports & Outdoors", "Outdoor Recreation", "Hiking Backpacks"), "Backpack",
         ("Summit Ridge", "Trailpeak", "Northwild", "Osprio"),
         ("Daypack", "Trekker", "Alpine", "Venture", "Scout"), (35, 260),
         {"capacity": lambda r: f"{r.choice([18, 22, 28, 35, 45, 55, 65])} L", "color": COLORS,
          "material": pick("ripstop nylon", "recycled polyester", "Cordura"),
          "weight": lambda r: f"{r.uniform(0.5, 2.2):.1f} kg"},
         ("{capacity} main compartment", "{material} shell", "padded hip belt", "hydration sleeve"),
         ("carries weight really well", "lots of pockets", "comfortable on all-day hikes"),
         ("zipper broke", "straps dig into shoulders", "smaller than it looks"),
         title="{brand} {model} {capacity} Hiking {noun} - {color}", follow_ups=("Water Bottle", "Tent")),
    Leaf(("Sports & Outdoors", "Outdoor Recreation", "Water Bottles"), "Water Bottle",
         ("Hydrafy", "Northwild", "Campora", "Klarwater"),
         ("Insulated", "Flip Lid", "Wide Mouth", "Sport"), (10, 45),
         {"capacity": lambda r: f"{r.choice([500, 750, 1000, 1200])} ml", "color": COLORS,
          "material": pick("stainless steel", "BPA-free Tritan", "aluminium")},
         ("{capacity} {material}", "keeps drinks cold for 24 hours", "leak-proof lid", "dishwasher safe"),
         ("keeps water ice cold all day", "doesn't leak in my bag", "the {color} looks great"),
         ("paint chips easily", "lid is hard to clean"),
         title="{brand} {model} {material} {noun}, {capacity} - {color}"),
    Leaf(("Beauty", "Skin Care", "Face", "Moisturizers"), "Moisturizer",
         ("Lumiere Paris", "Nature's Glow", "Dermaklar", "Aveline", "Pure Botanica", "L'Atelier Skin"),
         ("Hydra Boost", "Daily Balance", "Night Repair", "Oil-Free", "Barrier Cream"), (9, 75),
         {"volume": lambda r: f"{r.choice([30, 50, 75, 100])} ml",
          "skin type": pick("dry", "oily", "combination", "sensitive", "normal"),
          "key ingredient": pick("hyaluronic acid", "ceramides", "niacinamide", "shea butter", "squalane"),
          "spf": pick("none", "SPF 15", "SPF 30"), "scent": pick("fragrance-free", "light floral", "citrus")},
         ("with {key ingredient}", "for {skin type} skin", "{volume} jar", "{scent}", "dermatologist tested"),
         ("my skin feels soft all day", "absorbs quickly, not greasy", "helped with dry patches",
          "great under makeup"),
         ("broke me out", "too heavy for oily skin", "strong smell"),
         title="{brand} {model} Face {noun} with {key ingredient}, {volume}", follow_ups=("Serum", "Sunscreen")),
    Leaf(("Beauty", "Skin Care", "Face", "Serums"), "Serum",
         ("Lumiere Paris", "Nature's Glow", "Dermaklar", "Aveline", "L'Atelier Skin"),
         ("Vitamin C", "Retinol", "Peptide", "Glow", "Clarifying"), (12, 90),
         {"volume": lambda r: f"{r.choice([15, 30, 50])} ml",
          "key ingredient": pick("vitamin C", "retinol", "niacinamide", "hyaluronic acid", "salicylic acid"),
          "skin type": pick("dry", "oily", "combination", "sensitive", "normal")},
         ("{key ingredient} formula", "{volume} dropper bottle", "for {skin type} skin", "vegan and cruelty-free"),
         ("visibly brighter skin in two weeks", "lightweight and absorbs fast", "fades dark spots"),
         ("stings a little", "dropper leaks", "no difference after a month"),
         title="{brand} {model} {noun} with {key ingredient}, {volume}", follow_ups=("Moisturizer",)),
    Leaf(("Beauty", "Skin Care", "Sunscreens"), "Sunscreen",
         ("Lumiere Paris", "Nature's Glow", "Solara", "Dermaklar"),
         ("Daily Defense", "Sport", "Mineral", "Invisible Fluid"), (8, 40),
         {"spf": pick("SPF 30", "SPF 50", "SPF 50+"), "volume": lambda r: f"{r.choice([50, 100, 200])} ml",
          "type": pick("mineral", "chemical"), "water resistance": pick("40 minutes", "80 minutes", "none")},
         ("broad spectrum {spf}", "{type} filters", "water resistant {water resistance}", "no white cast"),
         ("no white cast at all", "doesn't sting my eyes", "perfect under makeup"),
         ("pills under foundation", "greasy finish"),
         title="{brand} {model} {spf} {noun}, {volume}"),
    Leaf(("Beauty", "Skin Care", "Cleansers"), "Cleanser",
         ("Nature's Glow", "Dermaklar", "Aveline", "Pure Botanica"),
         ("Gentle Foam", "Gel", "Micellar", "Oil"), (6, 35),
         {"volume": lambda r: f"{r.choice([100, 150, 200, 400])} ml",
          "skin type": pick("dry", "oily", "combination", "sensitive", "normal"),
          "scent": pick("fragrance-free", "green tea", "citrus")},
         ("for {skin type} skin", "{volume} bottle", "{scent}", "soap-free, pH balanced"),
         ("removes makeup easily", "skin feels clean not tight", "a little goes a long way"),
         ("dried out my skin", "pump stopped working"),
         title="{brand} {model} Face {noun} for {skin type} skin, {volume}", follow_ups=("Moisturizer",)),
    Leaf(("Electronics", "Headphones", "Over-Ear Headphones"), "Headphones",
         ("Sonara", "Audiox", "Kestrel Audio", "Beatline", "Harmonix"),
         ("Studio 5", "Quiet Pro", "Voyager", "Bass One", "Aria"), (30, 380),
         {"color": pick("Black", "White", "Silver", "Navy", "Rose Gold"),
          "connectivity": pick("Bluetooth 5.3", "Bluetooth 5.0", "wired 3.5 mm"),
          "noise cancelling": pick("active", "passive"),
          "battery life": lambda r: f"{r.choice([20, 30, 40, 60])} hours", "driver": lambda r: f"{r.choice([40, 50])} mm"},
         ("{noise cancelling} noise cancelling", "{battery life} battery life", "{driver} drivers", "{connectivity}"),
         ("amazing sound for the price", "noise cancelling works great on flights", "comfortable for hours",
          "battery lasts forever"),
         ("ear cups get hot", "bluetooth drops sometimes", "clamps too tight"),
         title="{brand} {model} Wireless Over-Ear {noun}, {noise cancelling} noise cancelling - {color}"),
    Leaf(("Electronics", "Headphones", "Earbuds"), "Earbuds",
         ("Sonara", "Audiox", "Beatline", "Harmonix", "Pulse"),
         ("Buds 2", "Air Mini", "Sport Fit", "Pro X", "Pods Lite"), (15, 250),
         {"color": pick("Black", "White", "Blue", "Green"), "connectivity": pick("Bluetooth 5.3", "Bluetooth 5.2"),
          "water resistance": pick("IPX4", "IPX5", "IPX7"), "battery life": lambda r: f"{r.choice([5, 6, 8, 10])} hours",
          "noise cancelling": pick("active", "none")},
         ("{water resistance} sweat resistant", "{battery life} per charge", "charging case", "{connectivity}"),
         ("stay in during runs", "great sound and bass", "case is tiny"),
         ("one bud stopped charging", "fall out of my ears"),
         title="{brand} {model} True Wireless {noun}, {water resistance} - {color}"),
    Leaf(("Home & Kitchen", "Cookware", "Frying Pans"), "Frying Pan",
         ("Ironhearth", "Cucina Forte", "Panmaster", "Kochwerk"),
         ("Classic", "Pro Chef", "Everyday", "Skillet"), (15, 140),
         {"size": lambda r: f"{r.choice([8, 10, 12])} inch", "material": pick("cast iron", "stainless steel",
                                                                               "nonstick aluminium", "carbon steel"),
          "color": pick("Black", "Silver", "Red", "Blue"), "induction": pick("yes", "no")},
         ("{size} {material}", "oven safe to 260 C", "induction compatible: {induction}", "stay-cool handle"),
         ("heats evenly", "eggs slide right off", "solid and heavy, great sear"),
         ("coating scratched quickly", "handle gets hot", "warped on high heat"),
         title="{brand} {model} {size} {material} {noun}", follow_ups=("Chef Knife",)),
    Leaf(("Home & Kitchen", "Small Appliances", "Coffee Makers"), "Coffee Maker",
         ("Brewhaus", "Cucina Forte", "Morningstar", "Kochwerk"),
         ("Drip 12", "Pour Over", "Espresso Compact", "Cold Brew", "Single Serve"), (25, 320),
         {"capacity": lambda r: f"{r.choice([1, 4, 8, 10, 12])} cups", "color": pick("Black", "Silver", "White", "Red"),
          "power": lambda r: f"{r.choice([800, 1000, 1200, 1450])} W", "programmable": pick("yes", "no")},
         ("{capacity} capacity", "{power}", "programmable timer: {programmable}", "reusable filter"),
         ("makes hot, strong coffee", "easy to clean", "love the timer"),
         ("leaks from the carafe", "coffee not hot enough", "loud"),
         title="{brand} {model} {noun}, {capacity} - {color}"),
    Leaf(("Home & Kitchen", "Small Appliances", "Blenders"), "Blender",
         ("Brewhaus", "Vortexa", "Kochwerk", "Morningstar"),
         ("Power 1000", "Personal", "Smoothie Pro", "Immersion"), (20, 260),
         {"capacity": lambda r: f"{r.choice([0.6, 1.0, 1.5, 2.0])} L", "power": lambda r: f"{r.choice([300, 700, 1000, 1500])} W",
          "color": pick("Black", "Silver", "White", "Red")},
         ("{power} motor", "{capacity} jar", "ice crushing blades", "dishwasher-safe jar"),
         ("crushes ice easily", "smoothies are silky smooth", "compact"),
         ("very loud", "jar cracked", "motor smells"),
         title="{brand} {model} {noun}, {power}, {capacity} - {color}"),
    Leaf(("Home & Kitchen", "Kitchen Utensils", "Chef Knives"), "Chef Knife",
         ("Kochwerk", "Hayate", "Cucina Forte", "Ironhearth"),
         ("Santoku", "Gyuto", "Classic Chef", "Damascus"), (15, 220),
         {"blade length": lambda r: f"{r.choice([6, 7, 8, 10])} inch", "material": pick("German stainless steel",
                                                                                         "Damascus steel", "carbon steel"),
          "handle": pick("pakkawood", "G10", "olive wood", "polymer")},
         ("{blade length} {material} blade", "{handle} handle", "hand sharpened edge", "gift box"),
         ("razor sharp out of the box", "well balanced", "holds an edge"),
         ("rusted spots", "handle feels cheap"),
         title="{brand} {model} {blade length} {noun}, {material}", follow_ups=("Frying Pan",)),
]

FIRST_NAMES = ("Alex", "Sam", "Maria", "Jonas", "Priya", "Wei", "Fatima", "Lucas", "Emma", "Noah", "Aisha", "Mateo",
               "Yuki", "Olga", "Kofi", "Lena", "Omar", "Sofia", "Ravi", "Chloe")
LAST_INITIALS = "ABCDEFGHIJKLMNOPRSTW"


def _fill(template: str, values: dict[str, str]) -> str:
    out = template
    for k, v in values.items():
        out = out.replace("{" + k + "}", v)
    return out


@dataclass
class _Item:
    product: Product
    leaf: Leaf
    quality: float  # hidden: drives ratings and popularity
    popularity: float


def _make_products(rng: random.Random, n_products: int) -> list[_Item]:
    brand_tier = {}  # brand -> price multiplier (house style)
    for leaf in LEAVES:
        for b in leaf.brands:
            brand_tier.setdefault(b, rng.choice([0.7, 0.85, 1.0, 1.2, 1.5]))
    items: list[_Item] = []
    weights = [len(leaf.models) * len(leaf.brands) for leaf in LEAVES]
    seen_titles: set[str] = set()
    while len(items) < n_products:
        leaf = rng.choices(LEAVES, weights=weights)[0]
        brand = rng.choice(leaf.brands)
        values = {k: gen(rng) for k, gen in leaf.attrs.items()}
        values.update(brand=brand, model=rng.choice(leaf.models), noun=leaf.noun)
        title = _fill(leaf.title, values)
        if title in seen_titles:
            continue
        seen_titles.add(title)
        lo, hi = leaf.price
        base = math.exp(rng.uniform(math.log(lo), math.log(hi))) * brand_tier[brand]
        price = round(max(lo * 0.6, base)) - 0.01
        quality = min(1.0, max(0.0, rng.gauss(0.62 + 0.1 * (brand_tier[brand] - 1), 0.18)))
        attributes = {k: values[k] for k in leaf.attrs}
        features = [_fill(f, values) for f in leaf.features]
        description = (
            f"The {brand} {values['model']} {leaf.noun.lower()}: " + "; ".join(features[:3]) + ". "
            + f"Designed for everyday use, {rng.choice(leaf.praise)}."
        )
        description = _fill(description, values)
        idx = len(items)
        product = Product(
            id=f"SA{idx:06d}", title=title, brand=brand, categories=list(leaf.path), price=price,
            attributes=attributes, description=description, features=features, in_stock=rng.random() > 0.08,
        )
        items.append(_Item(product, leaf, quality, popularity=rng.paretovariate(1.3) * (0.5 + quality)))
    return items


def _review_text(rng: random.Random, item: _Item, rating: int) -> tuple[str, str]:
    values = dict(item.product.attributes)
    leaf = item.leaf
    if rating >= 4:
        parts = rng.sample(leaf.praise, k=min(2, len(leaf.praise)))
        title = rng.choice(("Love it", "Great buy", "Exactly what I needed", "Five stars", "Very happy"))
        if rng.random() < 0.3:
            parts.append("only nitpick: " + rng.choice(leaf.complaints))
    elif rating == 3:
        parts = [rng.choice(leaf.praise), "but " + rng.choice(leaf.complaints)]
        title = rng.choice(("It's okay", "Mixed feelings", "Decent"))
    else:
        parts = rng.sample(leaf.complaints, k=min(2, len(leaf.complaints)))
        title = rng.choice(("Disappointed", "Would not buy again", "Not worth it"))
    attr = rng.choice(list(values.items()))
    parts.append(f"I got the {attr[1]} {attr[0]} version" if rng.random() < 0.5 else f"{attr[0]}: {attr[1]}")
    text = ". ".join(p[0].upper() + p[1:] for p in (_fill(p, values) for p in parts)) + "."
    return title, text


def generate_demo_catalog(seed: int = 0, n_products: int = 3000, n_users: int | None = None) -> CatalogData:
    """A seeded demo shop: ``n_products`` products, about n_products/3 users with time-ordered behaviour."""
    rng = random.Random(seed)
    items = _make_products(rng, n_products)
    by_leaf: dict[str, list[_Item]] = {}
    for it in items:
        by_leaf.setdefault(it.leaf.noun, []).append(it)
    top_levels = sorted({leaf.path[0] for leaf in LEAVES})
    n_users = n_users or max(20, n_products // 3)
    interactions: list[Interaction] = []
    reviews: list[Review] = []
    ratings: dict[str, list[int]] = {}
    user_names: dict[str, str] = {}
    for u in range(n_users):
        uid = f"U{u:05d}"
        user_names[uid] = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_INITIALS)}."
        favourites = rng.sample(top_levels, k=rng.choice([1, 1, 2]))
        leaves = [lf for lf in LEAVES if lf.path[0] in favourites and lf.noun in by_leaf]
        fav_brands = {rng.choice(lf.brands) for lf in leaves}
        budget = rng.choice([0.6, 1.0, 1.6])  # price sensitivity: relative to the leaf's median
        t = DEMO_START + rng.randint(0, 700) * DAY
        n = max(3, int(rng.expovariate(1 / 9)) + 3)
        leaf = rng.choice(leaves)
        bought: set[str] = set()
        for _ in range(n):
            candidates = by_leaf[leaf.noun]
            mid = math.sqrt(leaf.price[0] * leaf.price[1])
            w = [
                c.popularity * (3.0 if c.product.brand in fav_brands else 1.0)
                * math.exp(-abs(math.log((c.product.price or mid) / (mid * budget))))
                * (0.0 if c.product.id in bought else 1.0)
                for c in candidates
            ]
            if sum(w) == 0:
                break
            item = rng.choices(candidates, weights=w)[0]
            bought.add(item.product.id)
            rating = None
            if rng.random() < 0.7:
                rating = max(1, min(5, round(rng.gauss(1.5 + 4 * item.quality, 0.8))))
                ratings.setdefault(item.product.id, []).append(rating)
                if rng.random() < 0.6:
                    title, text = _review_text(rng, item, rating)
                    reviews.append(Review(id=f"R{len(reviews):07d}", product_id=item.product.id, user_id=uid,
                                          rating=rating, title=title, text=text, timestamp=t + 3 * DAY))
            interactions.append(Interaction(user_id=uid, item_id=item.product.id, timestamp=t,
                                            rating=float(rating) if rating is not None else None))
            t += rng.randint(1, 40) * DAY + rng.randint(0, DAY)
            # next: a follow-up leaf, the same leaf, or another favourite leaf
            follow = [lf for lf in LEAVES if lf.noun in item.leaf.follow_ups and lf.noun in by_leaf]
            roll = rng.random()
            if follow and roll < 0.45:
                leaf = rng.choice(follow)
            elif roll < 0.7:
                leaf = item.leaf
            else:
                leaf = rng.choice(leaves)
    products = []
    for it in items:
        rs = ratings.get(it.product.id, [])
        extra = int(it.popularity * rng.randint(0, 40))  # ratings from shoppers outside the demo's users
        count = len(rs) + extra
        mean = (sum(rs) + extra * (1.5 + 4 * it.quality)) / count if count else None
        products.append(it.product.model_copy(update={
            "rating": None if mean is None else round(min(5.0, max(1.0, mean)), 1), "rating_count": count}))
    return CatalogData(
        products=products, reviews=reviews, interactions=interactions, user_names=user_names,
        source=f"demo(seed={seed}, n_products={n_products})",
        report={"generated": True, "seed": seed, "n_users": n_users},
    )


def write_demo_catalog(data_dir: Path, n_products: int = 3000, seed: int = 0) -> int:
    """Write the generated demo shop as the catalog of ``data_dir``; returns its size."""
    data = generate_demo_catalog(seed=seed, n_products=n_products)
    write_catalog(data_dir, data)
    return len(data.products)
