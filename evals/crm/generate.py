"""A seeded CRM org built from the shop's catalog, written as one SQLite file (same seed -> same bytes).

Customers (Account + Contact) in twelve states, two years of orders with a holiday peak and a per-product peak
month, cases on order items (issue, first owner chosen by region and skill, transfers, handle time driven by agent,
issue and state), field history, templated chat/email transcripts in which the agent takes an action that a
knowledge-article policy may forbid (planted violations), and knowledge articles (policies + product FAQs).
"""

from __future__ import annotations

import logging
import math
import random
import sqlite3
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Literal

from pydantic import BaseModel

from evals.crm.schema import OBJECTS, ddl, record_id
from tools.catalog.models import Product

log = logging.getLogger(__name__)

OrgSizeName = Literal["small", "medium"]
START = date(2023, 1, 1)
END = date(2024, 12, 31)
NOW = datetime(2024, 12, 31, 23, 59, 59)  # the org's "today": cases not closed by then are open


class OrgSize(BaseModel):
    agents: int
    accounts: int
    products: int
    case_rate: float


SIZES: dict[str, OrgSize] = {
    "small": OrgSize(agents=16, accounts=260, products=40, case_rate=0.3),
    "medium": OrgSize(agents=40, accounts=1500, products=120, case_rate=0.3),
}

STATES: dict[str, list[str]] = {
    "CA": ["San Diego", "Oakland", "Fresno"], "NY": ["Buffalo", "Albany", "Rochester"],
    "TX": ["Austin", "Dallas", "El Paso"], "WA": ["Seattle", "Spokane", "Tacoma"],
    "OR": ["Portland", "Eugene", "Salem"], "FL": ["Miami", "Tampa", "Orlando"],
    "IL": ["Chicago", "Peoria", "Springfield"], "MA": ["Boston", "Worcester", "Lowell"],
    "CO": ["Denver", "Boulder", "Aurora"], "GA": ["Atlanta", "Savannah", "Athens"],
    "NC": ["Raleigh", "Durham", "Charlotte"], "AZ": ["Phoenix", "Tucson", "Mesa"],
}
TIMEZONES = {"CA": "America/Los_Angeles", "WA": "America/Los_Angeles", "OR": "America/Los_Angeles",
             "AZ": "America/Phoenix", "CO": "America/Denver", "TX": "America/Chicago", "IL": "America/Chicago"}
FIRST = ["Ava", "Liam", "Maya", "Noah", "Zoe", "Ethan", "Iris", "Lucas", "Nora", "Owen", "Ruby", "Caleb", "Elena",
         "Mateo", "Priya", "Jonah", "Hana", "Diego", "Lena", "Kofi", "Sara", "Tariq", "Mei", "Felix", "Grace", "Ivan",
         "Leah", "Marco", "Nina", "Oscar", "Paula", "Quinn", "Rosa", "Sam", "Tessa", "Umar", "Vera", "Wes", "Yara"]
LAST = ["Garcia", "Nguyen", "Smith", "Patel", "Kim", "Lopez", "Brown", "Okafor", "Rossi", "Novak", "Silva", "Chen",
        "Hughes", "Ibrahim", "Jensen", "Khan", "Larsen", "Moreau", "Ortiz", "Park", "Quinn", "Reyes", "Sato",
        "Torres", "Vogel", "Walsh", "Young", "Zhang", "Adler", "Baker", "Cruz", "Dubois", "Evans", "Fischer"]


@dataclass(frozen=True)
class IssueDef:
    name: str
    description: str
    base_hours: float
    only: tuple[str, ...] = ()  # top-level categories the issue can occur for (empty: all)
    subject: str = "{issue} - {product}"
    text: str = ""


ISSUES: list[IssueDef] = [
    IssueDef("Damaged on arrival", "The item arrived broken, dented or torn.", 20,
             text="My {product} arrived damaged: the box was crushed and the item itself is broken."),
    IssueDef("Wrong item received", "The package contained a different product than ordered.", 16,
             text="I ordered the {product} but received a completely different item in the package."),
    IssueDef("Size or fit problem", "The size, fit or capacity does not match the listing.", 12,
             only=("Sports & Outdoors",),
             text="The {product} does not fit as the size chart says; it is noticeably smaller than expected."),
    IssueDef("Late delivery", "The order arrived after the promised delivery date or not at all.", 10,
             text="My order with the {product} is more than a week late and tracking has not updated."),
    IssueDef("Defective after a few uses", "The product stopped working properly after short use.", 30,
             only=("Electronics", "Home & Kitchen"),
             text="After only a few uses my {product} stopped working properly."),
    IssueDef("Missing parts", "Parts or accessories listed in the box contents are missing.", 18,
             only=("Electronics", "Home & Kitchen", "Sports & Outdoors"),
             text="The {product} came without some of the parts listed on the box."),
    IssueDef("Charged twice", "The customer was billed more than once for one order.", 8,
             text="I was charged twice for my order of the {product}. Please reverse the duplicate charge."),
    IssueDef("Unable to cancel order", "The online system does not let the customer cancel an order.", 6,
             text="I am trying to cancel my order for the {product} but the website will not let me."),
    IssueDef("Refund not received", "A promised refund has not reached the customer.", 14,
             text="I returned the {product} weeks ago and still have not received my refund."),
    IssueDef("Skin reaction", "The customer reports irritation or a reaction after using the product.", 24,
             only=("Beauty",), text="I got a rash and irritation after using the {product}."),
    IssueDef("Battery or charging problem", "The battery drains fast or the device does not charge.", 26,
             only=("Electronics",), text="The battery of my {product} drains within an hour and barely charges."),
    IssueDef("Not as described", "The product differs from its description or photos.", 15,
             text="The {product} looks and feels different from the photos and description on your site."),
]
# issues after which the agent may take a compensating action in the transcript (and so may breach a policy)
ACTION_ISSUES = {0, 1, 2, 4, 5, 8, 9, 10, 11}


@dataclass(frozen=True)
class PolicyDef:
    key: str
    title: str
    limit: int  # days since the order (or a coupon percentage)
    text: str
    action: str  # the sentence the agent writes when taking this action (formatted with amount/product/pct)


POLICIES: list[PolicyDef] = [
    PolicyDef("refund", "Refund Policy", 30,
              "A full refund may be issued only when the customer contacts us within 30 days of the order's "
              "effective date. After 30 days, offer store credit instead.",
              "I have issued a full refund of ${amount} to your original payment method."),
    PolicyDef("price_adjustment", "Price Adjustment Policy", 14,
              "A price adjustment may be applied only within 14 days of the order's effective date.",
              "I have applied a price adjustment of ${amount} to your order."),
    PolicyDef("replacement", "Replacement Policy", 60,
              "A free replacement may be sent only when the customer contacts us within 60 days of the order's "
              "effective date.",
              "I have sent a free replacement {product} at no charge."),
    PolicyDef("store_credit", "Store Credit Policy", 90,
              "Store credit may be issued only within 90 days of the order's effective date.",
              "I have issued store credit of ${amount} to your account."),
    PolicyDef("coupon", "Goodwill Coupon Policy", 15,
              "Agents may offer a goodwill coupon of at most 15% off the next order. Larger discounts need a "
              "manager's approval and may not be offered in a chat or email.",
              "I have offered a {pct}% goodwill coupon for your next order."),
]
NO_ACTION = "I have logged your feedback and our team will follow up within two business days."
GENERAL_ARTICLES = [
    ("Shipping Times", "Standard shipping takes 3 to 5 business days; express shipping takes 1 to 2 business days.",
     "How long shipping takes"),
    ("Support Hours", "Customer support answers chats and emails from 8 am to 8 pm Eastern time, Monday to Saturday.",
     "When support is available"),
    ("Order Cancellation", "Orders can be cancelled free of charge until they ship, usually within 24 hours.",
     "How to cancel an order"),
]
CARE = ["Wipe clean with a damp cloth", "Hand wash only", "Store in a cool, dry place", "Machine washable at 30 C",
        "Rinse after each use", "Keep away from direct heat"]
MONTH_WEIGHTS = [0.7, 0.6, 0.8, 0.9, 1.0, 1.0, 1.1, 1.0, 0.9, 1.0, 1.5, 1.9]


@dataclass
class Org:
    """All rows, table -> list of tuples in schema column order (Id first)."""

    rows: dict[str, list[tuple]] = field(default_factory=lambda: {obj: [] for obj in OBJECTS})

    def add(self, obj: str, **values: object) -> str:
        rid = record_id(obj, len(self.rows[obj]) + 1)
        fields = OBJECTS[obj][1]
        unknown = set(values) - set(fields)
        if unknown:
            raise ValueError(f"unknown fields for {obj}: {sorted(unknown)}")
        self.rows[obj].append((rid, *[values.get(f) for f in fields]))
        return rid


def ts(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _pick_products(products: list[Product], n: int, rng: random.Random) -> list[Product]:
    """``n`` products spread over the leaf categories (round robin, ids sorted first so the pick is stable)."""
    by_leaf: dict[str, list[Product]] = {}
    for p in sorted(products, key=lambda p: p.id):
        if p.title and p.price:
            by_leaf.setdefault(p.category or "Other", []).append(p)
    for leaf in by_leaf.values():
        rng.shuffle(leaf)
    picked: list[Product] = []
    leaves = sorted(by_leaf)
    while len(picked) < n and any(by_leaf.values()):
        for leaf in leaves:
            if by_leaf[leaf] and len(picked) < n:
                picked.append(by_leaf[leaf].pop())
    return picked


def _issue_weights(product: Product, signature: int) -> list[float]:
    top = product.categories[0] if product.categories else ""
    weights = []
    for i, issue in enumerate(ISSUES):
        w = 0.0 if issue.only and top not in issue.only else (2.5 if issue.only else 1.0)
        weights.append(w * (4.0 if i == signature else 1.0))
    return weights


def _short(product: Product) -> str:
    return product.title.split(",")[0].split(" - ")[0]


def build_org(products: list[Product], seed: int = 0, size: OrgSizeName = "small") -> Org:
    """Every record of the org, deterministic in (products, seed, size)."""
    spec = SIZES[size]
    rng = random.Random(seed)
    org = Org()
    chosen = _pick_products(products, spec.products, rng)
    if len(chosen) < 5:
        raise ValueError("the catalog has fewer than 5 products with a title and a price")

    # --- issues, knowledge ---
    issue_ids = [org.add("Issue__c", Name=i.name, Description__c=i.description) for i in ISSUES]
    policy_ids = {}
    for p in POLICIES:
        policy_ids[p.key] = org.add(
            "Knowledge__kav", Title=p.title, FAQ_Answer__c=p.text, Summary=f"What agents may do: {p.title.lower()}",
            UrlName=p.title.lower().replace(" ", "-"))
    for title, text, summary in GENERAL_ARTICLES:
        org.add("Knowledge__kav", Title=title, FAQ_Answer__c=text, Summary=summary,
                UrlName=title.lower().replace(" ", "-"))

    # --- catalog objects ---
    categories: dict[str, str] = {}
    for p in chosen:
        leaf = p.category or "Other"
        if leaf not in categories:
            categories[leaf] = org.add("ProductCategory", Name=leaf, CatalogId="0ZSSA0000000001")
    pricebooks = {
        2023: org.add("Pricebook2", Name="Price Book 2023", Description="Prices of 2023", IsActive=0,
                      ValidFrom="2023-01-01T00:00:00Z", ValidTo="2023-12-31T23:59:59Z"),
        2024: org.add("Pricebook2", Name="Price Book 2024", Description="Prices of 2024", IsActive=1,
                      ValidFrom="2024-01-01T00:00:00Z", ValidTo="2024-12-31T23:59:59Z"),
    }
    prod_ids, entries, peak, signature, popularity, warranty = [], {}, [], [], [], []
    for p in chosen:
        pid = org.add("Product2", Name=p.title, Description=p.description, IsActive=1, External_ID__c=p.id)
        prod_ids.append(pid)
        org.add("ProductCategoryProduct", ProductCategory=p.category or "Other", Product=p.id,
                ProductCategoryId=categories[p.category or "Other"], ProductId=pid)
        for year, book in pricebooks.items():
            price = round(p.price * (1.0 if year == 2023 else 1.04), 2)
            entries[(pid, year)] = (org.add("PricebookEntry", Pricebook2Id=book, Product2Id=pid, UnitPrice=price),
                                    price)
        peak.append(rng.randint(1, 12))
        weights = _issue_weights(p, -1)
        signature.append(rng.choices(range(len(ISSUES)), weights=weights)[0])
        popularity.append(rng.paretovariate(1.5))
        warranty.append(rng.choice([6, 12, 18, 24, 36]))
    for p, pid, months in zip(chosen, prod_ids, warranty):
        care = rng.choice(CARE)
        attrs = "; ".join(f"{k}: {v}" for k, v in sorted(p.attributes.items()))
        org.add("Knowledge__kav", Title=f"{p.title}: Frequently Asked Questions",
                FAQ_Answer__c=(f"Warranty: {months} months from the order date. Care: {care}. "
                               f"Specifications: {attrs}. Features: {'; '.join(p.features[:4])}."),
                Summary=f"Warranty, care and specifications of the {_short(p)}",
                UrlName=f"faq-{p.id.lower()}")

    # --- agents ---
    states = sorted(STATES)
    agents = []
    for a in range(spec.agents):
        first, last = FIRST[a % len(FIRST)], LAST[(a * 7) % len(LAST)]
        region = sorted(rng.sample(states, 3))
        skills = sorted(rng.sample(range(len(ISSUES)), 3))
        uid = org.add(
            "User", FirstName=first, LastName=last, Email=f"{first}.{last}@support.shop.example".lower(),
            Phone=f"+1-555-01{a:02d}", Username=f"{first}.{last}{a}@shop.example".lower(),
            Alias=(first[0] + last[:4]).lower(), ProfileId="00eSA0000000001", LanguageLocaleKey="en_US",
            EmailEncodingKey="UTF-8", TimeZoneSidKey=TIMEZONES.get(region[0], "America/New_York"),
            LocaleSidKey="en_US", Skills__c=",".join(issue_ids[s] for s in skills), Region__c=",".join(region))
        agents.append((uid, set(region), set(skills), math.exp(rng.gauss(0, 0.45))))
    state_factor = {s: math.exp(rng.gauss(0, 0.35)) for s in states}

    # --- customers ---
    accounts = []
    for a in range(spec.accounts):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        state = rng.choice(states)
        email = f"{first}.{last}{a}@mail.example".lower()
        acc = org.add("Account", FirstName=first, LastName=last, PersonEmail=email,
                      Phone=f"+1-555-{2000 + a:04d}", RecordTypeId="012SA0000000001",
                      ShippingCity=rng.choice(STATES[state]), ShippingState=state)
        con = org.add("Contact", FirstName=first, LastName=last, Email=email, AccountId=acc,
                      OwnerId=rng.choice(agents)[0])
        accounts.append((acc, con, state, email, first))

    # --- orders (seasonal), one product at most once per order ---
    days = [START + timedelta(days=i) for i in range((END - START).days + 1)]
    day_w = [MONTH_WEIGHTS[d.month - 1] for d in days]
    planned = []
    for acc_i in range(len(accounts)):
        for _ in range(rng.randint(2, 9)):
            planned.append((rng.choices(days, weights=day_w)[0], acc_i))
    planned.sort(key=lambda x: (x[0], x[1]))
    items = []  # (order item id, order day, account index, product index, price)
    for day, acc_i in planned:
        book = pricebooks[day.year]
        oid = org.add("Order", AccountId=accounts[acc_i][0], Status="Activated", EffectiveDate=day.isoformat(),
                      Pricebook2Id=book)
        weights = [popularity[j] * (3.0 if peak[j] == day.month else 1.0) for j in range(len(chosen))]
        picks = []
        for _ in range(rng.choice([1, 1, 1, 2, 2, 3])):
            j = rng.choices(range(len(chosen)), weights=weights)[0]
            if j not in picks:
                picks.append(j)
        for j in picks:
            entry, price = entries[(prod_ids[j], day.year)]
            iid = org.add("OrderItem", OrderId=oid, Product2Id=prod_ids[j], Quantity=rng.choice([1, 1, 1, 2]),
                          UnitPrice=price, PricebookEntryId=entry)
            items.append((iid, day, acc_i, j, price))

    # --- cases ---
    planned_cases = []
    for iid, day, acc_i, j, price in items:
        if rng.random() >= spec.case_rate * (1.6 if peak[j] in (day.month, (day.month % 12) + 1) else 1.0):
            continue
        delay = rng.randint(40, 120) if rng.random() < 0.12 else min(40, int(rng.expovariate(1 / 9)) + 1)
        created = datetime.combine(day + timedelta(days=delay), datetime.min.time()) + timedelta(
            seconds=rng.randint(8 * 3600, 20 * 3600))
        if created > NOW - timedelta(days=1):
            continue
        issue = rng.choices(range(len(ISSUES)), weights=_issue_weights(chosen[j], signature[j]))[0]
        planned_cases.append((created, iid, day, acc_i, j, price, issue))
    planned_cases.sort(key=lambda c: (c[0], c[1]))
    for created, iid, day, acc_i, j, price, issue in planned_cases:
        _add_case(org, rng, created, iid, day, accounts[acc_i], chosen[j], prod_ids[j], price, issue, issue_ids,
                  agents, state_factor, policy_ids)
    return org


def _agent_weight(agent: tuple, state: str, issue: int) -> float:
    _, region, skills, _ = agent
    return (3.0 if state in region else 0.4) * (3.0 if issue in skills else 1.0)


def _add_case(org: Org, rng: random.Random, created: datetime, item_id: str, order_day: date, account: tuple,
              product: Product, product_id: str, price: float, issue: int, issue_ids: list[str], agents: list,
              state_factor: dict[str, float], policy_ids: dict[str, str]) -> None:
    acc, con, state, email, first = account
    spec = ISSUES[issue]
    weights = [_agent_weight(a, state, issue) for a in agents]
    owner_i = rng.choices(range(len(agents)), weights=weights)[0]
    owners = [(owner_i, created)]
    hours = spec.base_hours * agents[owner_i][3] * state_factor[state] * math.exp(rng.gauss(0, 0.4))
    n_transfers = 0
    if rng.random() < 0.25:
        n_transfers = 2 if rng.random() < 0.25 else 1
    moment = created
    for _ in range(n_transfers):
        moment = moment + timedelta(hours=rng.uniform(0.5, 6.0))
        skilled = [w * (0.0 if k == owners[-1][0] else (4.0 if issue in agents[k][2] else 1.0))
                   for k, w in enumerate(weights)]
        nxt = rng.choices(range(len(agents)), weights=skilled)[0]
        owners.append((nxt, moment))
        hours += rng.uniform(4, 24)
    closed = created + timedelta(seconds=int(hours * 3600))
    is_closed = closed <= NOW
    status = "Closed" if is_closed else rng.choice(["New", "Working", "Escalated"])
    channel = rng.choices(["Email", "Chat", "Phone", "Web"], weights=[35, 35, 20, 10])[0]
    name = _short(product)
    owner_id = agents[owners[-1][0]][0]
    case_id = org.add(
        "Case", Priority=rng.choice(["Low", "Medium", "Medium", "High"]),
        Subject=spec.subject.format(issue=spec.name, product=name), Description=spec.text.format(product=name),
        Status=status, Channel=channel, ContactId=con, CreatedDate=ts(created),
        ClosedDate=ts(closed) if is_closed else None, OrderItemId__c=item_id, IssueId__c=issue_ids[issue],
        AccountId=acc, OwnerId=owner_id)
    org.add("CaseHistory__c", CaseId__c=case_id, OldValue__c=None, NewValue__c=None, CreatedDate=ts(created),
            Field__c="Case Creation")
    previous = None
    for k, when in owners:
        org.add("CaseHistory__c", CaseId__c=case_id, OldValue__c=previous, NewValue__c=agents[k][0],
                CreatedDate=ts(when), Field__c="Owner Assignment")
        previous = agents[k][0]
    if is_closed:
        org.add("CaseHistory__c", CaseId__c=case_id, OldValue__c=None, NewValue__c=None, CreatedDate=ts(closed),
                Field__c="Case Closed")
    if channel not in ("Chat", "Email"):
        return
    reply = _agent_reply(rng, issue, (created.date() - order_day).days, price, name)
    agent_row = next(r for r in org.rows["User"] if r[0] == owner_id)
    greeting = f"Hi {first}, this is {agent_row[1]} from customer support. I am sorry about the trouble."
    when = created + timedelta(minutes=rng.randint(5, 90))
    if channel == "Chat":
        body = (f"Visitor: Hello, I need help with my order from {order_day.isoformat()}. "
                f"{spec.text.format(product=name)}\nAgent: {greeting}\nAgent: {reply}\nVisitor: Thank you.")
        org.add("LiveChatTranscript", CaseId=case_id, AccountId=acc, OwnerId=owner_id, Body=body,
                EndTime=ts(when), LiveChatVisitorId=f"571SA{len(org.rows['LiveChatTranscript']) + 1:010d}",
                ContactId=con)
    else:
        org.add("EmailMessage", Subject=spec.subject.format(issue=spec.name, product=name),
                TextBody=f"Hello, regarding my order from {order_day.isoformat()}: {spec.text.format(product=name)}",
                ParentId=case_id, FromAddress=email, ToIds=owner_id, MessageDate=ts(created))
        org.add("EmailMessage", Subject="RE: " + spec.subject.format(issue=spec.name, product=name),
                TextBody=f"{greeting} {reply} Kind regards, {agent_row[1]}", ParentId=case_id,
                FromAddress=agent_row[3], ToIds=con, MessageDate=ts(when))


def _agent_reply(rng: random.Random, issue: int, age_days: int, price: float, name: str) -> str:
    """What the agent did: nothing, a compliant action, or (about a third of action cases) a breach."""
    if issue not in ACTION_ISSUES or rng.random() < 0.35:
        return NO_ACTION
    violate = rng.random() < 0.35
    options = []
    for p in POLICIES:
        if p.key == "coupon":
            pct = rng.choice([20, 25, 30]) if violate else rng.choice([5, 10, 15])
            options.append((p, pct))
        elif (age_days > p.limit) == violate:
            options.append((p, 0))
    policy, pct = rng.choice(options)
    return policy.action.format(amount=f"{price:.2f}", product=name, pct=pct)


def write_org(org: Org, path: Path) -> Path:
    """Write ``org`` to ``path`` (atomically; the same rows give the same bytes)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".writing")
    tmp.unlink(missing_ok=True)
    con = sqlite3.connect(tmp)
    try:
        for stmt in ddl():
            con.execute(stmt)
        for obj, (_, fields) in OBJECTS.items():
            marks = ", ".join("?" * (len(fields) + 1))
            con.executemany(f'INSERT INTO "{obj}" VALUES ({marks})', org.rows[obj])
        con.execute('CREATE INDEX "ix_case_created" ON "Case"("CreatedDate")')
        con.execute('CREATE INDEX "ix_history_case" ON "CaseHistory__c"("CaseId__c")')
        con.execute('CREATE INDEX "ix_item_order" ON "OrderItem"("OrderId")')
        con.commit()
    finally:
        con.close()
    tmp.replace(path)
    return path


def generate_org(path: Path, products: list[Product], seed: int = 0, size: OrgSizeName = "small") -> dict[str, int]:
    """Build and write the org; returns the record count of every object."""
    org = build_org(products, seed=seed, size=size)
    write_org(org, path)
    counts = {obj: len(rows) for obj, rows in org.rows.items()}
    log.info("CRM org written to %s: %s", path, counts)
    return counts
