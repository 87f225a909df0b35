"""The nine CRMArena task types, generated from an org with their ground truth computed by code (never an LLM).

Each generator draws question parameters with a seeded RNG, computes the answer from :class:`OrgView`, and drops
draws whose answer would be ambiguous (ties), so every task has exactly one right answer (or "None").
"""

from __future__ import annotations

import random
import re
from collections import Counter, defaultdict
from datetime import date, timedelta
from pathlib import Path
from typing import Callable, Literal

from pydantic import BaseModel, Field

from evals.crm import periods as P
from evals.crm.generate import ISSUES, POLICIES
from evals.crm.org import CaseView, OrgView, load_view

TASK_TYPES = [
    "knowledge_qa", "monthly_trend_analysis", "top_issue_identification", "best_region_identification",
    "handle_time", "transfer_count", "case_routing", "named_entity_disambiguation", "policy_violation_identification",
]
# CRMArena's three personas, three task types each
PERSONA = {
    "case_routing": "service manager", "handle_time": "service manager", "transfer_count": "service manager",
    "named_entity_disambiguation": "service agent", "policy_violation_identification": "service agent",
    "knowledge_qa": "service agent", "monthly_trend_analysis": "service analyst",
    "top_issue_identification": "service analyst", "best_region_identification": "service analyst",
}
AnswerKind = Literal["agent", "issue", "product", "article", "month", "state", "text"]

HANDLE_TIME_POLICY = """## Handle Time Policy
- Definition: the time from when a case is created (CreatedDate) to when it is closed (ClosedDate).
- 'Agents who managed/handled x cases' counts the cases an agent was FIRST assigned to (the first 'Owner \
Assignment' in CaseHistory__c), among the cases created in the period.
- Handle time is computed only for closed cases that were never transferred, and is averaged per agent.
- A case that was not transferred has ONE 'Owner Assignment'; a transferred case has MORE THAN ONE."""
TRANSFER_POLICY = """## Transfer Count Policy
- Definition: the number of times a case was reassigned from one agent to another. Each transfer from agent A to \
agent B ('Owner Assignment' with OldValue__c = A, NewValue__c = B) adds one to the count of agent A.
- 'Agents who managed/handled x cases' counts the cases an agent was FIRST assigned to, among the cases created in \
the period; only cases created in the period count."""
ROUTING_POLICY = """## Case Routing Policy
The best agent for a new case is chosen by these criteria, in order:
- Issue Expertise: the agent who has closed the most cases (Status 'Closed', OwnerId = agent) with the issue most \
similar to the given case.
- Product Expertise: if tied, the agent who has closed the most cases of the product of the given case.
- Workload: if still tied, the agent with the fewest cases whose Status is not 'Closed'."""
KNOWLEDGE_RULE = "- Use the information retrieved from the knowledge articles to answer the question concisely."


class CrmTask(BaseModel):
    """One question, the context an agent gets with it, and the answer computed from the org."""

    id: str
    type: str
    query: str
    context: str = Field(description="Policy text, today's date, ids: what CRMArena calls metadata.required.")
    answer: str | None = Field(description="The right answer; None when none applies.")
    kind: AnswerKind
    metric: Literal["exact_match", "token_f1"] = "exact_match"
    params: dict = Field(default_factory=dict, description="The drawn parameters (tests re-derive from them).")


END_OF_DATA = date(2024, 12, 31)


def _today_after(rng: random.Random, end: date) -> date:
    return max(end, min(END_OF_DATA, end + timedelta(days=rng.randint(0, 150))))


def _random_period(rng: random.Random, kinds: tuple[str, ...] = ("month", "quarter", "season", "past")) -> tuple[
        P.Period, date]:
    kind = rng.choice(kinds)
    if kind == "month":
        per = P.month(rng.choice([2023, 2024]), rng.randint(1, 12))
    elif kind == "quarter":
        per = P.quarter(rng.choice([2023, 2024]), rng.randint(1, 4))
    elif kind == "season":
        year, name = rng.choice([(2023, s) for s in P.SEASONS] + [(2024, s) for s in ("Spring", "Summer", "Autumn")])
        per = P.season(year, name)
    else:
        today = date(2023, 4, 1) + timedelta(days=rng.randint(0, 640))
        unit = rng.choice(["months", "quarters"])
        n = rng.choice([2, 3, 4]) * 3 if unit == "quarters" else rng.choice([1, 2, 3, 4, 5, 6])
        return P.past(today, n, unit), today
    return per, _today_after(rng, per.end)


def _unique_best(scores: dict[str, float], lowest: bool) -> str | None | bool:
    """The key with the strictly best score; None when empty; False on a tie."""
    if not scores:
        return None
    best = min(scores.values()) if lowest else max(scores.values())
    winners = [k for k, v in scores.items() if v == best]
    return winners[0] if len(winners) == 1 else False


def _in(view: OrgView, per: P.Period) -> list[CaseView]:
    return [c for c in view.cases if per.contains(c.created.date())]


# --- ground truth, one function per type (used by the generators and by the tests) ---

def truth_monthly_trend(view: OrgView, product: str, per: P.Period) -> str | None | bool:
    counts = Counter((c.created.year, c.created.month) for c in _in(view, per) if c.product == product)
    best = _unique_best(dict(counts), lowest=False)
    return P.MONTHS[best[1] - 1] if isinstance(best, tuple) else best


def truth_top_issue(view: OrgView, product: str, per: P.Period) -> str | None | bool:
    return _unique_best(dict(Counter(c.issue for c in _in(view, per) if c.product == product)), lowest=False)


def truth_best_region(view: OrgView, per: P.Period) -> str | None | bool:
    spans: dict[str, list[float]] = defaultdict(list)
    for c in _in(view, per):
        if c.closed is not None:
            spans[c.state].append((c.closed - c.created).total_seconds())
    return _unique_best({s: sum(v) / len(v) for s, v in spans.items()}, lowest=True)


def truth_handle_time(view: OrgView, per: P.Period, more_than: int, lowest: bool) -> str | None | bool:
    managed: Counter = Counter()
    spans: dict[str, list[float]] = defaultdict(list)
    for c in _in(view, per):
        managed[c.first_owner] += 1
        if not c.transferred and c.closed is not None:
            spans[c.first_owner].append((c.closed - c.created).total_seconds())
    scores = {a: sum(v) / len(v) for a, v in spans.items() if managed[a] > more_than}
    return _unique_best(scores, lowest)


def truth_transfer_count(view: OrgView, per: P.Period, at_least: int, lowest: bool) -> str | None | bool:
    managed: Counter = Counter()
    transfers: Counter = Counter()
    for c in _in(view, per):
        managed[c.first_owner] += 1
        for old, _, _ in c.owners:
            if old is not None:
                transfers[old] += 1
    scores = {a: float(transfers[a]) for a, n in managed.items() if n >= at_least}
    return _unique_best(scores, lowest)


def truth_case_routing(view: OrgView, issue: str, product: str) -> str | None | bool:
    closed = [c for c in view.cases if c.status == "Closed"]
    by_issue = Counter(c.owner for c in closed if c.issue == issue)
    if not by_issue:
        return None
    top = max(by_issue.values())
    tied = [a for a, n in by_issue.items() if n == top]
    if len(tied) > 1:
        by_product = Counter(c.owner for c in closed if c.product == product)
        top = max(by_product[a] for a in tied)
        tied = [a for a in tied if by_product[a] == top]
    if len(tied) > 1:
        open_ = Counter(c.owner for c in view.cases if c.status != "Closed")
        low = min(open_[a] for a in tied)
        tied = [a for a in tied if open_[a] == low]
    return tied[0] if len(tied) == 1 else False


def truth_named_entity(view: OrgView, contact: str, day: date, category: str) -> str | None | bool:
    hits = sorted({p for d, p in view.purchases.get(contact, []) if d == day and view.product_category[p] == category})
    return None if not hits else (hits[0] if len(hits) == 1 else False)


ACTION_PATTERNS = {
    "refund": re.compile(r"issued a full refund"), "price_adjustment": re.compile(r"applied a price adjustment"),
    "replacement": re.compile(r"sent a free replacement"), "store_credit": re.compile(r"issued store credit"),
    "coupon": re.compile(r"offered a (\d+)% goodwill coupon"),
}


def truth_policy_violation(view: OrgView, case: CaseView) -> str | None:
    policy_article = {a["Title"]: a["Id"] for a in view.articles}
    age = (case.created.date() - case.order_day).days
    for p in POLICIES:
        m = ACTION_PATTERNS[p.key].search(case.transcript)
        if not m:
            continue
        broken = int(m.group(1)) > p.limit if p.key == "coupon" else age > p.limit
        if broken:
            return policy_article[p.title]
    return None


# --- generators ---

def _gen_monthly_trend(view: OrgView, rng: random.Random) -> tuple | None:
    product = rng.choice(sorted(view.products))
    today = date(2023, 8, 1) + timedelta(days=rng.randint(0, 500))
    unit = rng.choice(["months", "quarters"])
    n = rng.choice([2, 3]) * 3 if unit == "quarters" else rng.choice([3, 4, 5, 6, 8, 10])
    per = P.past(today, n, unit)
    ans = truth_monthly_trend(view, product, per)
    name = view.products[product]
    q = rng.choice([
        f"Is there a month in {per.phrase} when the cases we received for the {name} were significantly higher "
        "than in other months?",
        f"Over {per.phrase}, did any month bring significantly more cases for the {name} than the others?",
    ]) + f" The product Id is {product}. Return only the month name, or None."
    return ans, q, f"- Today's date: {today.isoformat()}", {"product": product, "start": per.start.isoformat(),
                                                             "end": per.end.isoformat()}, "month"


def _gen_top_issue(view: OrgView, rng: random.Random) -> tuple | None:
    product = rng.choice(sorted(view.products))
    per, today = _random_period(rng, ("quarter", "season"))
    ans = truth_top_issue(view, product, per)
    q = rng.choice(["What is the most frequent problem with the {n} in {p}?",
                    "Which issue was reported most often for the {n} during {p}?"]).format(
        n=view.products[product], p=per.phrase)
    q += f" The product Id is {product}. Return only the Id of the most reported issue, or None."
    return ans, q, f"- Today's date: {today.isoformat()}", {"product": product, "start": per.start.isoformat(),
                                                             "end": per.end.isoformat()}, "issue"


def _gen_best_region(view: OrgView, rng: random.Random) -> tuple | None:
    per, today = _random_period(rng, ("month", "quarter", "season", "past"))
    ans = truth_best_region(view, per)
    q = rng.choice(["Which state had the quickest case closures in {p}?",
                    "In {p}, which state closed its cases fastest on average?"]).format(p=per.phrase)
    q += " Return only the two-letter abbreviation of the state (e.g. CA)."
    return ans, q, f"- Today's date: {today.isoformat()}", {"start": per.start.isoformat(),
                                                             "end": per.end.isoformat()}, "state"


def _managed_phrase(n: int) -> str:
    return "who managed any cases" if n == 0 else f"who managed more than {n} case{'s' if n > 1 else ''}"


def _gen_handle_time(view: OrgView, rng: random.Random) -> tuple | None:
    per, today = _random_period(rng, ("month", "quarter", "season", "past"))
    more_than, lowest = rng.choice([0, 1, 2, 3]), rng.random() < 0.5
    ans = truth_handle_time(view, per, more_than, lowest)
    word = "shortest" if lowest else "longest"
    q = rng.choice([f"Find the agent with the {word} average handle time {_managed_phrase(more_than)} in {per.phrase}.",
                    f"In {per.phrase}, which agent {_managed_phrase(more_than)[4:]} had the {word} average handle "
                    "time?"]) + " Return only the Id of the agent."
    return ans, q, f"{HANDLE_TIME_POLICY}\n- Today's date: {today.isoformat()}", {
        "start": per.start.isoformat(), "end": per.end.isoformat(), "more_than": more_than, "lowest": lowest}, "agent"


def _gen_transfer_count(view: OrgView, rng: random.Random) -> tuple | None:
    per, today = _random_period(rng, ("quarter", "season", "past"))
    at_least, lowest = rng.choice([1, 2, 3]), rng.random() < 0.4
    ans = truth_transfer_count(view, per, at_least, lowest)
    word = "fewest" if lowest else "highest number of"
    q = (f"Identify the agent with the {word} transfers in {per.phrase} among those who handled at least "
         f"{at_least} case{'s' if at_least > 1 else ''}. Return only the Id of the agent.")
    return ans, q, f"{TRANSFER_POLICY}\n- Today's date: {today.isoformat()}", {
        "start": per.start.isoformat(), "end": per.end.isoformat(), "at_least": at_least, "lowest": lowest}, "agent"


def _gen_case_routing(view: OrgView, rng: random.Random) -> tuple | None:
    case = rng.choice(view.cases)  # a realistic (issue, product) pair
    issue_index = list(view.issues).index(case.issue)
    ans = truth_case_routing(view, case.issue, case.product)
    name = view.products[case.product].split(",")[0].split(" - ")[0]
    spec = ISSUES[issue_index]
    q = ("Use the case routing policy to determine the most suitable agent for the given case. Return only the Id "
         f"of the agent.\n## Given Case\n- Case Subject: {spec.subject.format(issue=spec.name, product=name)}\n"
         f"- Case Description: {spec.text.format(product=name)}")
    return ans, q, ROUTING_POLICY, {"issue": case.issue, "product": case.product}, "agent"


def _gen_named_entity(view: OrgView, rng: random.Random) -> tuple | None:
    contact = rng.choice(sorted(view.purchases))
    day, product = rng.choice(view.purchases[contact])
    category = view.product_category[product]
    if rng.random() < 0.25:  # ask about something not bought that day
        category = rng.choice(sorted(set(view.product_category.values())))
    n = rng.choice([1, 2, 3, 5, 7, 10, 14, 21, 30])
    today = day + timedelta(days=n)
    ans = truth_named_entity(view, contact, day, category)
    q = rng.choice(["Can you show me the {c} I purchased {a}?", "I have a question about the {c} I bought {a}."]
                   ).format(c=category.lower(), a=P.days_ago_phrase(n))
    q += " Return only the Id of the product from the contact's relevant past transaction, or None."
    return ans, q, f"- Contact Id interacting: {contact}\n- Today's date: {today.isoformat()}", {
        "contact": contact, "day": day.isoformat(), "category": category}, "product"


def _gen_policy_violation(view: OrgView, rng: random.Random) -> tuple | None:
    case = rng.choice([c for c in view.cases if c.transcript])
    ans = truth_policy_violation(view, case)
    if ans is None and rng.random() < 0.5:  # keep violations and clean cases about balanced
        return None
    q = rng.choice(["Did the agent breach a policy in this case? If yes, which knowledge article was breached?",
                    "Was any policy violated by the agent handling this case? If so, which knowledge article?"])
    q += " Return only the Id of the knowledge article, or None if no violation is found."
    return ans, q, f"- Case Id to be considered is: {case.id}", {"case": case.id}, "article"


def _knowledge_questions(view: OrgView) -> list[tuple[str, str, dict]]:
    out = []
    for a in view.articles:
        text, title = a["FAQ_Answer__c"], a["Title"]
        if title.endswith(": Frequently Asked Questions"):
            name = title.removesuffix(": Frequently Asked Questions")
            m = re.search(r"Warranty: (\d+ months)", text)
            if m:
                out.append((f"How long is the warranty on the {name}?", m.group(1), {"article": a["Id"]}))
            m = re.search(r"Care: ([^.]+)\.", text)
            if m:
                out.append((f"How should the {name} be cared for?", m.group(1), {"article": a["Id"]}))
            spec = re.search(r"Specifications: (.*?)\. Features", text)
            for pair in (spec.group(1).split("; ") if spec else [])[:2]:
                key, _, value = pair.partition(": ")
                if key and value:
                    out.append((f"What is the {key} of the {name}?", value, {"article": a["Id"]}))
        else:
            for p in POLICIES:
                if p.title == title:
                    if p.key == "coupon":
                        out.append(("What is the largest goodwill coupon an agent may offer a customer?", "15%",
                                    {"article": a["Id"]}))
                    else:
                        what = p.title.removesuffix(" Policy").lower()
                        out.append((f"Within how many days of the order date may a {what} be given?",
                                    f"{p.limit} days", {"article": a["Id"]}))
            if title == "Shipping Times":
                out.append(("How long does standard shipping take?", "3 to 5 business days", {"article": a["Id"]}))
            if title == "Order Cancellation":
                out.append(("Until when can an order be cancelled free of charge?", "until they ship",
                            {"article": a["Id"]}))
    return out


GENERATORS: dict[str, Callable[[OrgView, random.Random], tuple | None]] = {
    "monthly_trend_analysis": _gen_monthly_trend, "top_issue_identification": _gen_top_issue,
    "best_region_identification": _gen_best_region, "handle_time": _gen_handle_time,
    "transfer_count": _gen_transfer_count, "case_routing": _gen_case_routing,
    "named_entity_disambiguation": _gen_named_entity, "policy_violation_identification": _gen_policy_violation,
}


def generate_tasks(view: OrgView, seed: int = 0, per_type: int = 60, none_share: float = 0.2) -> list[CrmTask]:
    """``per_type`` tasks of each of the nine types (fewer only when the org cannot yield that many)."""
    rng = random.Random(seed)
    tasks: list[CrmTask] = []
    for ttype in TASK_TYPES:
        made: list[CrmTask] = []
        seen: set[str] = set()
        if ttype == "knowledge_qa":
            qs = _knowledge_questions(view)
            rng.shuffle(qs)
            for q, a, params in qs[:per_type]:
                made.append(CrmTask(id="", type=ttype, query=q, context=KNOWLEDGE_RULE, answer=a, kind="text",
                                    metric="token_f1", params=params))
        else:
            nones = 0
            for _ in range(per_type * 60):
                if len(made) >= per_type:
                    break
                draw = GENERATORS[ttype](view, rng)
                if draw is None:
                    continue
                ans, q, ctx, params, kind = draw
                if ans is False or (q + ctx) in seen:
                    continue
                if ans is None:
                    if nones >= none_share * per_type:
                        continue
                    nones += 1
                seen.add(q + ctx)
                made.append(CrmTask(id="", type=ttype, query=q, context=ctx, answer=ans, kind=kind, params=params))
        rng.shuffle(made)  # so that any prefix (``--limit``) has the type's mix of answers, "None" included
        for i, t in enumerate(made):
            t.id = f"{ttype}-{i:03d}"
        tasks += made
    return tasks


def tasks_for_org(path: Path, seed: int = 0, per_type: int = 60) -> list[CrmTask]:
    return generate_tasks(load_view(path), seed=seed, per_type=per_type)


def spread(tasks: list[CrmTask], limit: int | None, types: list[str] | None = None) -> list[CrmTask]:
    """At most ``limit`` tasks in all, spread evenly over the (selected) types, in a stable order."""
    by_type: dict[str, list[CrmTask]] = defaultdict(list)
    for t in tasks:
        if types is None or t.type in types:
            by_type[t.type].append(t)
    order = [t for t in TASK_TYPES if t in by_type]
    if limit is None:
        return [t for ty in order for t in by_type[ty]]
    out: list[CrmTask] = []
    i = 0
    while len(out) < limit and any(i < len(by_type[ty]) for ty in order):
        for ty in order:
            if i < len(by_type[ty]) and len(out) < limit:
                out.append(by_type[ty][i])
        i += 1
    return sorted(out, key=lambda t: (TASK_TYPES.index(t.type), t.id))
