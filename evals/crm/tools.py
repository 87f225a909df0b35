"""What the CRM agent may call: a read-only SQL tool, knowledge search and typed helpers over the org.

Every tool is a plain function ``fn(org, args) -> str`` with a pydantic input model; :func:`call_tool` validates the
raw arguments and turns every failure (unknown tool, bad argument, unknown id, refused query) into one readable
``Error: ...`` line the agent can act on, so nothing raises into the agent loop.
"""

from __future__ import annotations

import json
import re
import sqlite3
import time
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Callable

from pydantic import BaseModel, Field, ValidationError, field_validator

from evals.crm.org import connect_readonly
from evals.crm.schema import OBJECTS

MAX_ROWS = 30
MAX_CHARS = 1500
QUERY_SECONDS = 5.0
_FORBIDDEN = re.compile(r"\b(attach|detach|pragma|insert|update|delete|drop|create|alter|replace|vacuum|reindex|"
                        r"begin|commit|rollback|savepoint|release)\b", re.I)


class ToolError(Exception):
    """A problem the agent can fix (bad id, bad date, refused query)."""


@dataclass
class Org:
    """The org the tools read: a path; each call opens its own read-only connection (thread-safe)."""

    path: Path

    def query(self, sql: str, params: tuple = ()) -> tuple[list[str], list[tuple]]:
        con = connect_readonly(self.path)
        deadline = time.monotonic() + QUERY_SECONDS
        con.set_progress_handler(lambda: 1 if time.monotonic() > deadline else 0, 10_000)
        try:
            cur = con.execute(sql, params)
            cols = [d[0] for d in cur.description or []]
            return cols, cur.fetchmany(MAX_ROWS + 1)
        finally:
            con.close()

    def exists(self, obj: str, record_id: str) -> bool:
        return bool(self.query(f'SELECT 1 FROM "{obj}" WHERE Id = ?', (record_id,))[1])

    @cached_property
    def knowledge(self):  # noqa: ANN201 - (bm25s retriever, article rows)
        import bm25s

        con = connect_readonly(self.path)
        try:
            rows = con.execute('SELECT Id, Title, Summary, FAQ_Answer__c FROM "Knowledge__kav" ORDER BY Id').fetchall()
        finally:
            con.close()
        retriever = bm25s.BM25()
        retriever.index(bm25s.tokenize([f"{r[1]} {r[2]} {r[3]}" for r in rows], stopwords="en", show_progress=False),
                        show_progress=False)
        return retriever, rows


def table(cols: list[str], rows: list[tuple], empty: str = "no rows") -> str:
    """Rows as a compact pipe table, cut at MAX_ROWS rows and MAX_CHARS characters."""
    if not rows:
        return empty
    lines = [" | ".join(cols)] + [" | ".join("" if v is None else str(v) for v in r) for r in rows[:MAX_ROWS]]
    if len(rows) > MAX_ROWS:
        lines.append(f"... more rows: narrow the query (only the first {MAX_ROWS} are shown)")
    text = "\n".join(lines)
    return text if len(text) <= MAX_CHARS else text[:MAX_CHARS] + "\n... (cut: select fewer columns)"


# --- inputs ---

def _date(value: str) -> str:
    try:
        return date.fromisoformat(str(value).strip()[:10]).isoformat()
    except ValueError:
        raise ValueError(f"{value!r} is not a date: use YYYY-MM-DD") from None


class Period(BaseModel):
    start_date: str = Field(description="First day, YYYY-MM-DD (inclusive).")
    end_date: str = Field(description="Last day, YYYY-MM-DD (inclusive).")

    @field_validator("start_date", "end_date")
    @classmethod
    def _valid(cls, v: str) -> str:
        return _date(v)


def _id_field(obj: str) -> Callable[[str], str]:
    prefix = OBJECTS[obj][0]

    def check(v: str) -> str:
        v = str(v).strip().strip("'\"")
        if not re.fullmatch(rf"{prefix}[A-Za-z0-9]{{12}}", v):
            raise ValueError(f"{v!r} is not a {obj} Id: {obj} Ids look like {prefix}SA0000000001")
        return v
    return check


class SqlInput(BaseModel):
    query: str = Field(description='One read-only SQLite SELECT. Quote the tables "Case" and "Order".')


class SearchInput(BaseModel):
    query: str = Field(description="Words to look for in knowledge articles.")
    k: int = Field(3, ge=1, le=10, description="How many articles.")


class CaseInput(BaseModel):
    case_id: str = Field(description="Case Id (500...).")
    _v = field_validator("case_id")(classmethod(lambda cls, v: _id_field("Case")(v)))


class ProductPeriodInput(Period):
    product_id: str = Field(description="Product2 Id (01t...).")
    _v = field_validator("product_id")(classmethod(lambda cls, v: _id_field("Product2")(v)))


class ContactInput(BaseModel):
    contact_id: str = Field(description="Contact Id (003...).")
    _v = field_validator("contact_id")(classmethod(lambda cls, v: _id_field("Contact")(v)))


class ExpertiseInput(BaseModel):
    issue_id: str = Field(description="Issue__c Id (a1M...).")
    product_id: str | None = Field(None, description="Product2 Id (01t...), optional.")
    _vi = field_validator("issue_id")(classmethod(lambda cls, v: _id_field("Issue__c")(v)))
    _vp = field_validator("product_id")(classmethod(lambda cls, v: v if v is None else _id_field("Product2")(v)))


class ArticleInput(BaseModel):
    article_id: str = Field(description="Knowledge__kav Id (ka0...).")
    _v = field_validator("article_id")(classmethod(lambda cls, v: _id_field("Knowledge__kav")(v)))


class NoInput(BaseModel):
    pass


# --- tools ---

def sql_query(org: Org, args: SqlInput) -> str:
    """Run one read-only SELECT over the org; writes, several statements, ATTACH and PRAGMA are refused."""
    sql = args.query.strip().rstrip(";").strip()
    if not re.match(r"(?is)^\s*(select|with)\b", sql):
        raise ToolError("only SELECT (or WITH ... SELECT) queries are allowed")
    if ";" in re.sub(r"'[^']*'|\"[^\"]*\"", "", sql):
        raise ToolError("one statement at a time: remove the ';'")
    if _FORBIDDEN.search(re.sub(r"'[^']*'|\"[^\"]*\"", "", sql)):
        raise ToolError("the query may only read: ATTACH, PRAGMA and writes are refused")
    try:
        cols, rows = org.query(sql)
    except sqlite3.DatabaseError as exc:
        msg = str(exc)
        if "interrupted" in msg:
            raise ToolError(f"the query ran longer than {QUERY_SECONDS:.0f} s: add conditions or a LIMIT") from None
        if "not authorized" in msg or "readonly" in msg:
            raise ToolError("the query may only read the org") from None
        raise ToolError(f"SQL error: {msg}. Tables: {', '.join(OBJECTS)} (quote \"Case\" and \"Order\")") from None
    return table(cols, rows)


def search_knowledge(org: Org, args: SearchInput) -> str:
    """Knowledge articles most relevant to the words (BM25 over title, summary and text)."""
    import bm25s

    retriever, rows = org.knowledge
    tokens = bm25s.tokenize([args.query], stopwords="en", show_progress=False)
    if not tokens.vocab:
        raise ToolError("the query has no searchable words")
    docs, scores = retriever.retrieve(tokens, k=min(args.k, len(rows)), show_progress=False)
    out = [f"{rows[int(i)][0]} | {rows[int(i)][1]} | {rows[int(i)][3]}" for i, s in zip(docs[0], scores[0]) if s > 0]
    return "\n".join(out)[:MAX_CHARS] if out else "no article matches: try other words"


def get_article(org: Org, args: ArticleInput) -> str:
    """One knowledge article in full."""
    cols, rows = org.query('SELECT Id, Title, FAQ_Answer__c FROM "Knowledge__kav" WHERE Id = ?', (args.article_id,))
    if not rows:
        raise ToolError(f"no knowledge article {args.article_id}: find ids with search_knowledge")
    return table(cols, rows)


def get_case(org: Org, args: CaseInput) -> str:
    """A case with its order date, owner history and chat/email transcript."""
    cols, rows = org.query(
        'SELECT c.Id, c.Subject, c.Status, c.Channel, c.CreatedDate, c.ClosedDate, c.IssueId__c, c.OwnerId, '
        'oi.Product2Id, o.EffectiveDate AS OrderDate FROM "Case" c LEFT JOIN "OrderItem" oi ON oi.Id = '
        'c.OrderItemId__c LEFT JOIN "Order" o ON o.Id = oi.OrderId WHERE c.Id = ?', (args.case_id,))
    if not rows:
        raise ToolError(f"no case {args.case_id}: find case ids with get_cases or sql_query")
    hcols, hist = org.query('SELECT Field__c, OldValue__c, NewValue__c, CreatedDate FROM "CaseHistory__c" '
                            'WHERE CaseId__c = ? ORDER BY CreatedDate, Id', (args.case_id,))
    _, chats = org.query('SELECT Body FROM "LiveChatTranscript" WHERE CaseId = ?', (args.case_id,))
    _, mails = org.query('SELECT TextBody FROM "EmailMessage" WHERE ParentId = ? ORDER BY MessageDate, Id',
                         (args.case_id,))
    transcript = "\n".join(r[0] for r in chats + mails) or "(no transcript)"
    return f"{table(cols, rows)}\nHistory:\n{table(hcols, hist)}\nTranscript:\n{transcript}"[:2 * MAX_CHARS]


def get_cases(org: Org, args: ProductPeriodInput) -> str:
    """Cases of a product created in a period."""
    cols, rows = org.query(
        'SELECT c.Id, c.CreatedDate, c.IssueId__c, c.Status FROM "Case" c JOIN "OrderItem" oi ON oi.Id = '
        'c.OrderItemId__c WHERE oi.Product2Id = ? AND date(c.CreatedDate) BETWEEN ? AND ? ORDER BY c.CreatedDate',
        (args.product_id, args.start_date, args.end_date))
    return table(cols, rows, "no cases for this product in this period")


def get_issue_counts(org: Org, args: ProductPeriodInput) -> str:
    """How many cases of each issue a product had in a period, most first."""
    cols, rows = org.query(
        'SELECT c.IssueId__c, i.Name, COUNT(*) AS cases FROM "Case" c JOIN "OrderItem" oi ON oi.Id = '
        'c.OrderItemId__c JOIN "Issue__c" i ON i.Id = c.IssueId__c WHERE oi.Product2Id = ? AND date(c.CreatedDate) '
        'BETWEEN ? AND ? GROUP BY 1, 2 ORDER BY 3 DESC', (args.product_id, args.start_date, args.end_date))
    return table(cols, rows, "no cases for this product in this period")


def get_monthly_case_counts(org: Org, args: ProductPeriodInput) -> str:
    """Cases of a product per calendar month of a period."""
    cols, rows = org.query(
        "SELECT strftime('%Y-%m', c.CreatedDate) AS month, COUNT(*) AS cases FROM \"Case\" c JOIN \"OrderItem\" oi "
        "ON oi.Id = c.OrderItemId__c WHERE oi.Product2Id = ? AND date(c.CreatedDate) BETWEEN ? AND ? GROUP BY 1 "
        "ORDER BY 1", (args.product_id, args.start_date, args.end_date))
    return table(cols, rows, "no cases for this product in this period")


_FIRST_OWNER = ('(SELECT h.NewValue__c FROM "CaseHistory__c" h WHERE h.CaseId__c = c.Id AND h.Field__c = '
                "'Owner Assignment' ORDER BY h.CreatedDate, h.Id LIMIT 1)")
_ASSIGNMENTS = ('(SELECT COUNT(*) FROM "CaseHistory__c" h WHERE h.CaseId__c = c.Id AND h.Field__c = '
                "'Owner Assignment')")


def get_agent_handle_times(org: Org, args: Period) -> str:
    """Per agent, for cases created in the period: cases first assigned to them, and average handle time in hours
    of their closed, never-transferred cases."""
    cols, rows = org.query(
        f"SELECT {_FIRST_OWNER} AS agent, COUNT(*) AS managed_cases, ROUND(AVG(CASE WHEN {_ASSIGNMENTS} = 1 AND "
        "c.ClosedDate IS NOT NULL THEN (julianday(c.ClosedDate) - julianday(c.CreatedDate)) * 24 END), 3) AS "
        'avg_handle_hours FROM "Case" c WHERE date(c.CreatedDate) BETWEEN ? AND ? GROUP BY 1 ORDER BY 3',
        (args.start_date, args.end_date))
    return table(cols, rows, "no cases created in this period")


def get_agent_transfer_counts(org: Org, args: Period) -> str:
    """Per agent, for cases created in the period: cases first assigned to them and transfers they made."""
    cols, rows = org.query(
        f'WITH cs AS (SELECT c.Id, {_FIRST_OWNER} AS first_owner FROM "Case" c WHERE date(c.CreatedDate) BETWEEN ? '
        "AND ?), managed AS (SELECT first_owner AS agent, COUNT(*) AS n FROM cs GROUP BY 1), moves AS (SELECT "
        'h.OldValue__c AS agent, COUNT(*) AS n FROM "CaseHistory__c" h JOIN cs ON cs.Id = h.CaseId__c WHERE '
        "h.Field__c = 'Owner Assignment' AND h.OldValue__c IS NOT NULL GROUP BY 1) SELECT managed.agent, "
        "managed.n AS managed_cases, COALESCE(moves.n, 0) AS transfers FROM managed LEFT JOIN moves ON moves.agent = "
        "managed.agent ORDER BY 3 DESC", (args.start_date, args.end_date))
    return table(cols, rows, "no cases created in this period")


def get_state_closure_times(org: Org, args: Period) -> str:
    """Average hours from creation to closure of the cases created in the period, per customer state."""
    cols, rows = org.query(
        "SELECT a.ShippingState AS state, COUNT(*) AS closed_cases, ROUND(AVG((julianday(c.ClosedDate) - "
        'julianday(c.CreatedDate)) * 24), 3) AS avg_hours FROM "Case" c JOIN "Account" a ON a.Id = c.AccountId '
        "WHERE c.ClosedDate IS NOT NULL AND date(c.CreatedDate) BETWEEN ? AND ? GROUP BY 1 ORDER BY 3",
        (args.start_date, args.end_date))
    return table(cols, rows, "no closed cases created in this period")


def get_purchase_history(org: Org, args: ContactInput) -> str:
    """Everything a contact bought: order date, product id, product name, category."""
    if not org.exists("Contact", args.contact_id):
        raise ToolError(f"no contact {args.contact_id}: use the Contact Id given in the task")
    cols, rows = org.query(
        'SELECT o.EffectiveDate AS order_date, p.Id AS product_id, p.Name, pcp.ProductCategory FROM "Contact" ct '
        'JOIN "Order" o ON o.AccountId = ct.AccountId JOIN "OrderItem" oi ON oi.OrderId = o.Id JOIN "Product2" p ON '
        'p.Id = oi.Product2Id LEFT JOIN "ProductCategoryProduct" pcp ON pcp.ProductId = p.Id WHERE ct.Id = ? '
        "ORDER BY o.EffectiveDate DESC", (args.contact_id,))
    return table(cols, rows, "this contact has no orders")


def get_agent_expertise(org: Org, args: ExpertiseInput) -> str:
    """Per agent: closed cases with the issue, closed cases of the product, and open cases (workload)."""
    cols, rows = org.query(
        "SELECT u.Id AS agent, SUM(c.Status = 'Closed' AND c.IssueId__c = ?) AS closed_issue_cases, "
        "SUM(c.Status = 'Closed' AND oi.Product2Id = ?) AS closed_product_cases, SUM(c.Status != 'Closed') AS "
        'open_cases FROM "User" u LEFT JOIN "Case" c ON c.OwnerId = u.Id LEFT JOIN "OrderItem" oi ON oi.Id = '
        "c.OrderItemId__c GROUP BY 1 ORDER BY 2 DESC, 3 DESC, 4 ASC", (args.issue_id, args.product_id or ""))
    return table(cols, rows)


def list_issues(org: Org, args: NoInput) -> str:
    """All issue types: Id, name, description."""
    cols, rows = org.query('SELECT Id, Name, Description__c FROM "Issue__c" ORDER BY Id')
    return table(cols, rows)


def find_products(org: Org, args: SearchInput) -> str:
    """Products whose name contains any of the words (Id, name)."""
    words = [w for w in re.findall(r"[A-Za-z0-9-]{3,}", args.query)][:5]
    if not words:
        raise ToolError("give at least one word of 3+ letters")
    cond = " OR ".join("Name LIKE ?" for _ in words)
    cols, rows = org.query(f'SELECT Id, Name FROM "Product2" WHERE {cond} LIMIT {args.k * 3}',
                           tuple(f"%{w}%" for w in words))
    return table(cols, rows, "no product matches")


@dataclass(frozen=True)
class Tool:
    name: str
    fn: Callable[[Org, BaseModel], str]
    input: type[BaseModel]

    @property
    def description(self) -> str:
        return " ".join((self.fn.__doc__ or "").strip().split("\n\n")[0].split())


TOOLS: dict[str, Tool] = {t.name: t for t in [
    Tool("sql_query", sql_query, SqlInput), Tool("search_knowledge", search_knowledge, SearchInput),
    Tool("get_article", get_article, ArticleInput), Tool("get_case", get_case, CaseInput),
    Tool("get_cases", get_cases, ProductPeriodInput), Tool("get_issue_counts", get_issue_counts, ProductPeriodInput),
    Tool("get_monthly_case_counts", get_monthly_case_counts, ProductPeriodInput),
    Tool("get_agent_handle_times", get_agent_handle_times, Period),
    Tool("get_agent_transfer_counts", get_agent_transfer_counts, Period),
    Tool("get_state_closure_times", get_state_closure_times, Period),
    Tool("get_purchase_history", get_purchase_history, ContactInput),
    Tool("get_agent_expertise", get_agent_expertise, ExpertiseInput), Tool("list_issues", list_issues, NoInput),
    Tool("find_products", find_products, SearchInput),
]}


def _validation_message(tool: Tool, exc: ValidationError) -> str:
    parts = []
    for e in exc.errors():
        where = ".".join(str(x) for x in e["loc"]) or "input"
        msg = str(e["msg"]).removeprefix("Value error, ")
        parts.append(f"{where}: {msg}")
    fields = ", ".join(tool.input.model_fields) or "no arguments"
    return f"Error: bad arguments for {tool.name} ({'; '.join(parts)}). It takes: {fields}."


def call_tool(org: Org, name: str, raw_args: object) -> str:
    """Run tool ``name`` on ``raw_args`` (dict or JSON text); every failure comes back as one 'Error: ...' line."""
    tool = TOOLS.get(str(name).strip())
    if tool is None:
        return f"Error: no tool named {name!r}. Tools: {', '.join(TOOLS)}."
    if isinstance(raw_args, str):
        text = raw_args.strip()
        try:
            raw_args = json.loads(text) if text else {}
        except json.JSONDecodeError:
            first = next(iter(tool.input.model_fields), None)
            raw_args = {first: text.strip("'\"")} if first else {}
    if not isinstance(raw_args, dict):
        first = next(iter(tool.input.model_fields), None)
        raw_args = {first: raw_args} if first else {}
    try:
        args = tool.input.model_validate(raw_args)
    except ValidationError as exc:
        return _validation_message(tool, exc)
    try:
        return tool.fn(org, args)
    except ToolError as exc:
        return f"Error: {exc}"
    except Exception as exc:  # a tool must never crash the agent loop
        return f"Error: {tool.name} failed ({type(exc).__name__}: {exc})"


def tool_specs() -> list[dict]:
    """OpenAI function-calling specs of every tool."""
    return [{"type": "function", "function": {"name": t.name, "description": t.description,
                                              "parameters": _compact_schema(t.input)}} for t in TOOLS.values()]


def _compact_schema(model: type[BaseModel]) -> dict:
    schema = model.model_json_schema()
    props = {}
    for k, v in schema.get("properties", {}).items():
        typ = v.get("type") or next((x.get("type") for x in v.get("anyOf", []) if x.get("type") != "null"), "string")
        props[k] = {"type": typ, "description": v.get("description", "")}
    return {"type": "object", "properties": props, "required": schema.get("required", [])}
