"""Opening the org: a read-only connection (the only kind the agent's tools and the tasks use) and a Python view
of the records the task generator needs (cases with their owners, orders by contact, articles)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from core.errors import ShopagentError

# authorizer action codes a read-only query may use (everything else, ATTACH and PRAGMA included, is denied)
_ALLOWED = {sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_FUNCTION,
            getattr(sqlite3, "SQLITE_RECURSIVE", 33)}


def _authorize(action: int, arg1: object, arg2: object, db: object, trigger: object) -> int:
    return sqlite3.SQLITE_OK if action in _ALLOWED else sqlite3.SQLITE_DENY


def connect_readonly(path: Path) -> sqlite3.Connection:
    """A connection that cannot change the org: ``mode=ro``, ``PRAGMA query_only`` and an authorizer that allows
    only reads (so ATTACH, PRAGMA, writes and schema changes are all denied)."""
    path = Path(path)
    if not path.is_file():
        raise ShopagentError(f"no CRM org at {path}: run `shopagent crm generate` first")
    con = sqlite3.connect(f"file:{path.resolve()}?mode=ro", uri=True, check_same_thread=False)
    con.execute("PRAGMA query_only = ON")
    con.set_authorizer(_authorize)
    return con


def parse_ts(value: str | None) -> datetime | None:
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ") if value else None


@dataclass
class CaseView:
    id: str
    created: datetime
    closed: datetime | None
    status: str
    issue: str
    product: str
    state: str
    owner: str
    contact: str
    order_day: date
    subject: str
    owners: list[tuple[str | None, str, datetime]] = field(default_factory=list)  # (old, new, when)
    transcript: str = ""

    @property
    def first_owner(self) -> str:
        return self.owners[0][1]

    @property
    def transferred(self) -> bool:
        return len(self.owners) > 1


@dataclass
class OrgView:
    cases: list[CaseView]
    agents: list[str]
    issues: dict[str, str]  # id -> name
    products: dict[str, str]  # id -> name
    product_category: dict[str, str]  # product id -> leaf category
    purchases: dict[str, list[tuple[date, str]]]  # contact id -> (order day, product id)
    articles: list[dict]
    states: list[str]


def load_view(path: Path) -> OrgView:
    """Read the records the task generator needs (plain SELECTs; the ground truth is computed in Python)."""
    con = connect_readonly(path)
    try:
        rows = con.execute(
            'SELECT c.Id, c.CreatedDate, c.ClosedDate, c.Status, c.IssueId__c, oi.Product2Id, a.ShippingState, '
            'c.OwnerId, c.ContactId, o.EffectiveDate, c.Subject FROM "Case" c '
            'JOIN "OrderItem" oi ON oi.Id = c.OrderItemId__c JOIN "Order" o ON o.Id = oi.OrderId '
            'JOIN "Account" a ON a.Id = c.AccountId ORDER BY c.Id').fetchall()
        cases = {r[0]: CaseView(r[0], parse_ts(r[1]), parse_ts(r[2]), r[3], r[4], r[5], r[6], r[7], r[8],
                                date.fromisoformat(r[9]), r[10]) for r in rows}
        for case_id, old, new, when in con.execute(
                'SELECT CaseId__c, OldValue__c, NewValue__c, CreatedDate FROM "CaseHistory__c" '
                "WHERE Field__c = 'Owner Assignment' ORDER BY CreatedDate, Id"):
            cases[case_id].owners.append((old, new, parse_ts(when)))
        for case_id, body in con.execute('SELECT CaseId, Body FROM "LiveChatTranscript" ORDER BY Id'):
            cases[case_id].transcript += body + "\n"
        for case_id, body in con.execute('SELECT ParentId, TextBody FROM "EmailMessage" ORDER BY Id'):
            cases[case_id].transcript += body + "\n"
        purchases: dict[str, list[tuple[date, str]]] = {}
        for contact, day, product in con.execute(
                'SELECT ct.Id, o.EffectiveDate, oi.Product2Id FROM "Contact" ct JOIN "Order" o ON o.AccountId = '
                'ct.AccountId JOIN "OrderItem" oi ON oi.OrderId = o.Id ORDER BY ct.Id, o.EffectiveDate, oi.Id'):
            purchases.setdefault(contact, []).append((date.fromisoformat(day), product))
        return OrgView(
            cases=list(cases.values()),
            agents=[r[0] for r in con.execute('SELECT Id FROM "User" ORDER BY Id')],
            issues=dict(con.execute('SELECT Id, Name FROM "Issue__c" ORDER BY Id').fetchall()),
            products=dict(con.execute('SELECT Id, Name FROM "Product2" ORDER BY Id').fetchall()),
            product_category=dict(con.execute(
                'SELECT ProductId, ProductCategory FROM "ProductCategoryProduct" ORDER BY Id').fetchall()),
            purchases=purchases,
            articles=[dict(zip(("Id", "Title", "FAQ_Answer__c", "Summary", "UrlName"), r)) for r in con.execute(
                'SELECT Id, Title, FAQ_Answer__c, Summary, UrlName FROM "Knowledge__kav" ORDER BY Id')],
            states=[r[0] for r in con.execute('SELECT DISTINCT ShippingState FROM "Account" ORDER BY 1')],
        )
    finally:
        con.close()
