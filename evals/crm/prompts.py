"""The CRM agent's prompts (kept apart from the loop)."""

from __future__ import annotations

from evals.crm.periods import DOMAIN_DETAILS
from evals.crm.schema import schema_text
from evals.crm.tools import TOOLS

PERIOD_TYPES = {"monthly_trend_analysis", "top_issue_identification", "best_region_identification", "handle_time",
                "transfer_count"}

SYSTEM = """You are a customer-service assistant working inside a CRM org stored in SQLite.
Tables (Id first; quote "Case" and "Order" in SQL):
{schema}
Id prefixes: User 005, Case 500, Product2 01t, Issue__c a1M, Knowledge__kav ka0, Contact 003.
Dates are text: 'YYYY-MM-DDTHH:MM:SSZ' (use date(...) and julianday(...)).
{tools}
When you know the answer, reply with one line: Final Answer: <answer only>. Answer None when nothing applies."""

REACT_TOOLS = """Tools (arguments as JSON):
{lines}
Use this format:
Thought: what to do next
Action: one tool name
Action Input: {{"argument": "value"}}
After the Observation, continue; finish with: Final Answer: <answer only>"""

GUIDED_TOOLS = """Tools (action_input is JSON text of the arguments):
{lines}
Reply with JSON {{"action": tool name or "final_answer", "action_input": arguments JSON or the answer}}."""


def tool_lines() -> str:
    return "\n".join(f"- {t.name}({', '.join(t.input.model_fields)}): {t.description}" for t in TOOLS.values())


def system_prompt(mode: str) -> str:
    tools = {"react": REACT_TOOLS, "guided": GUIDED_TOOLS}.get(mode, "Call the tools you need.")
    return SYSTEM.format(schema=schema_text(), tools=tools.format(lines=tool_lines()))


def task_prompt(task_type: str, context: str, query: str) -> str:
    details = f"\n{DOMAIN_DETAILS}" if task_type in PERIOD_TYPES else ""
    return f"{context}{details}\n\nQuestion: {query}"
