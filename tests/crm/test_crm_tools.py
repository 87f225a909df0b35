"""The agent's tools: nothing can change the org, and every bad input comes back as a readable error."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from evals.crm.org import connect_readonly
from evals.crm.tools import TOOLS, Org, call_tool

WRITES = [
    'DELETE FROM "Case"', 'UPDATE "Case" SET Status = \'New\'', 'DROP TABLE "Case"', 'INSERT INTO "Issue__c" VALUES '
    "('x', 'y', 'z')", "ATTACH DATABASE '/tmp/evil.db' AS evil", "PRAGMA writable_schema = ON",
    'SELECT 1; DELETE FROM "Case"', 'WITH x AS (SELECT 1) DELETE FROM "Case"', 'CREATE TABLE t (a)',
    "SELECT * FROM pragma_table_info('Case'); VACUUM", 'select 1 ; attach \'/tmp/x.db\' as x',
    "REPLACE INTO \"Issue__c\" VALUES ('a','b','c')",
]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("query", WRITES)
def test_sql_tool_refuses_writes_attach_pragma_and_several_statements(crm_org: Path, query: str) -> None:
    before = _digest(crm_org)
    out = call_tool(Org(crm_org), "sql_query", {"query": query})
    assert out.startswith("Error:"), out
    assert _digest(crm_org) == before


@pytest.mark.parametrize("query", ['DELETE FROM "Case"', "ATTACH DATABASE ':memory:' AS m", 'DROP TABLE "User"',
                                   "PRAGMA query_only = OFF", 'UPDATE "Case" SET Status = 1'])
def test_readonly_connection_itself_denies_changes(crm_org: Path, query: str) -> None:
    con = connect_readonly(crm_org)
    with pytest.raises(sqlite3.DatabaseError):
        con.execute(query)
    assert con.execute('SELECT COUNT(*) FROM "Case"').fetchone()[0] > 0


def test_sql_tool_answers_reads_and_cuts_long_results(crm_org: Path) -> None:
    org = Org(crm_org)
    count = call_tool(org, "sql_query", {"query": 'SELECT COUNT(*) AS n FROM "Case";'})
    assert count.splitlines()[0] == "n" and int(count.splitlines()[1]) > 300
    many = call_tool(org, "sql_query", {"query": 'SELECT Id FROM "Case"'})
    assert "more rows" in many and len(many.splitlines()) <= 32
    assert "no such table" in call_tool(org, "sql_query", {"query": "SELECT * FROM Cases"})


BAD_INPUTS = [
    ("get_case", {"case_id": "12345"}, "Case Id"), ("get_case", {}, "case_id"),
    ("get_case", {"case_id": "500SA9999999999"}, "no case"),
    ("get_issue_counts", {"product_id": "01tSA0000000001", "start_date": "last winter", "end_date": "2024-01-01"},
     "YYYY-MM-DD"),
    ("get_agent_handle_times", {"start_date": "2024-13-01", "end_date": "2024-12-01"}, "YYYY-MM-DD"),
    ("get_purchase_history", {"contact_id": "003SA9999999999"}, "no contact"),
    ("get_purchase_history", {"contact_id": "005SA0000000001"}, "Contact Id"),
    ("get_agent_expertise", {"issue_id": "Late delivery"}, "Issue__c Id"),
    ("get_article", {"article_id": "ka0SA9999999999"}, "no knowledge article"),
    ("search_knowledge", {"query": "the of and"}, "no searchable words"),
    ("search_knowledge", {"query": "refund", "k": 500}, "k"),
    ("no_such_tool", {}, "Tools:"), ("sql_query", "not json at all", "only SELECT"),
    ("get_cases", "[1, 2", "bad arguments"),
]


@pytest.mark.parametrize("name,args,hint", BAD_INPUTS)
def test_bad_input_gives_a_readable_error_naming_the_fix(crm_org: Path, name: str, args: object, hint: str) -> None:
    out = call_tool(Org(crm_org), name, args)
    assert out.startswith("Error:") and "\n" not in out and hint in out, out


def test_helper_tools_answer_from_the_org(crm_org: Path) -> None:
    org = Org(crm_org)
    con = sqlite3.connect(crm_org)
    case_id, product = con.execute('SELECT c.Id, oi.Product2Id FROM "Case" c JOIN "OrderItem" oi ON oi.Id = '
                                   "c.OrderItemId__c WHERE c.Channel = 'Chat' LIMIT 1").fetchone()
    assert case_id in call_tool(org, "get_case", {"case_id": case_id}) and "Visitor:" in call_tool(
        org, "get_case", {"case_id": case_id})
    counts = call_tool(org, "get_issue_counts", {"product_id": product, "start_date": "2023-01-01",
                                                  "end_date": "2024-12-31"})
    total = sum(int(line.split(" | ")[-1]) for line in counts.splitlines()[1:])
    assert total == con.execute('SELECT COUNT(*) FROM "Case" c JOIN "OrderItem" oi ON oi.Id = c.OrderItemId__c '
                                "WHERE oi.Product2Id = ?", (product,)).fetchone()[0]
    assert "Refund Policy" in call_tool(org, "search_knowledge", {"query": "full refund within days"}).splitlines()[0]
    assert len(TOOLS) >= 12
    for name in TOOLS:  # every tool survives empty input with an error or an answer, never an exception
        assert isinstance(call_tool(org, name, {}), str)
