"""The generated org: deterministic to the byte, the 16 objects with CRMArena's fields, consistent links."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

from evals.crm.generate import generate_org
from evals.crm.schema import OBJECTS, REFERENCES

REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "reference" / "crmarena" / "schema_with_dependencies.json"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_same_seed_gives_byte_identical_org_and_other_seed_differs(tmp_path: Path, crm_products: list,
                                                                   crm_org: Path) -> None:
    again = tmp_path / "again.sqlite"
    other = tmp_path / "other.sqlite"
    generate_org(again, crm_products, seed=0, size="small")
    generate_org(other, crm_products, seed=1, size="small")
    assert _digest(again) == _digest(crm_org)
    assert _digest(other) != _digest(crm_org)


def test_org_has_the_16_objects_with_the_reference_fields(crm_org: Path) -> None:
    con = sqlite3.connect(crm_org)
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert tables == set(OBJECTS) and len(tables) == 16
    if REFERENCE.is_file():
        for obj in json.loads(REFERENCE.read_text()):
            cols = {r[1].lower() for r in con.execute(f'PRAGMA table_info("{obj["object"]}")')}
            assert {f.lower() for f in obj["fields"]} <= cols, obj["object"]
    for obj in OBJECTS:
        assert con.execute(f'SELECT COUNT(*) FROM "{obj}"').fetchone()[0] > 0, obj


def test_every_reference_resolves(crm_org: Path) -> None:
    con = sqlite3.connect(crm_org)
    for obj, refs in REFERENCES.items():
        for field, target in refs.items():
            dangling = con.execute(
                f'SELECT COUNT(*) FROM "{obj}" x WHERE x."{field}" IS NOT NULL AND NOT EXISTS '
                f'(SELECT 1 FROM "{target}" t WHERE t.Id = x."{field}")').fetchone()[0]
            assert dangling == 0, f"{obj}.{field} -> {target}"
    # history owner values are users too, and the case owner is the last assignment
    bad = con.execute(
        'SELECT COUNT(*) FROM "Case" c WHERE c.OwnerId != (SELECT h.NewValue__c FROM "CaseHistory__c" h WHERE '
        "h.CaseId__c = c.Id AND h.Field__c = 'Owner Assignment' ORDER BY h.CreatedDate DESC, h.Id DESC LIMIT 1)"
    ).fetchone()[0]
    assert bad == 0


def test_org_has_transfers_seasonality_open_and_closed_cases_and_planted_breaches(crm_org: Path) -> None:
    con = sqlite3.connect(crm_org)
    transfers = con.execute("SELECT COUNT(*) FROM \"CaseHistory__c\" WHERE Field__c = 'Owner Assignment' AND "
                            "OldValue__c IS NOT NULL").fetchone()[0]
    assert transfers > 50
    by_month = dict(con.execute('SELECT strftime(\'%m\', EffectiveDate), COUNT(*) FROM "Order" GROUP BY 1'))
    assert by_month["12"] > 1.5 * by_month["02"]  # holiday peak
    closed = con.execute('SELECT COUNT(*) FROM "Case" WHERE ClosedDate IS NOT NULL AND ClosedDate > CreatedDate')
    assert closed.fetchone()[0] > 300
    late_refunds = con.execute(
        'SELECT COUNT(*) FROM "Case" c JOIN "OrderItem" oi ON oi.Id = c.OrderItemId__c JOIN "Order" o ON o.Id = '
        'oi.OrderId JOIN "LiveChatTranscript" t ON t.CaseId = c.Id WHERE t.Body LIKE \'%issued a full refund%\' AND '
        "julianday(date(c.CreatedDate)) - julianday(o.EffectiveDate) > 30").fetchone()[0]
    assert late_refunds > 0
