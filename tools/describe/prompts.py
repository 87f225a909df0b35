"""Prompt files (``prompts/*.md``) and the messages built from them."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from string import Template

from tools.describe.facts import SourceFacts
from tools.describe.models import DescribeRequest, ProductCopy

PROMPTS_DIR = Path(__file__).parent / "prompts"

LENGTHS = {  # length -> (bullets, description sentences, description max chars, max tokens)
    "short": (3, "2 sentences", 300, 256),
    "medium": (4, "3 to 4 sentences", 500, 400),
    "long": (5, "5 to 6 sentences", 800, 448),
}


@lru_cache(maxsize=None)
def template(name: str) -> Template:
    return Template((PROMPTS_DIR / name).read_text())


@lru_cache(maxsize=1)
def tones() -> dict[str, str]:
    return json.loads((PROMPTS_DIR / "tones.json").read_text())


def max_tokens(request: DescribeRequest) -> int:
    return LENGTHS[request.length][3]


def build_messages(request: DescribeRequest, facts: SourceFacts) -> list[dict[str, str]]:
    """System + user messages for a first draft."""
    n_bullets, sentences, _, _ = LENGTHS[request.length]
    system = template("system.md").substitute(language=request.language, tone=tones()[request.tone])
    snippets = ""
    if facts.snippets:
        snippets = "What reviewers say:\n" + "\n".join(f"- {s.text}" for s in facts.snippets) + "\n"
    keywords = f"Keywords to use where they fit: {', '.join(request.keywords)}\n" if request.keywords else ""
    user = template("user.md").substitute(
        facts="\n".join(facts.statements()), snippets=snippets, keywords=keywords,
        n_bullets=n_bullets, sentences=sentences,
    )
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


def regenerate_messages(first: list[dict[str, str]], draft_json: str, unsupported: list[str]) -> list[dict[str, str]]:
    """The first conversation, the draft, and a request to rewrite without the unsupported statements."""
    note = template("regenerate.md").substitute(unsupported="\n".join(f"- {u}" for u in unsupported))
    return [*first, {"role": "assistant", "content": draft_json}, {"role": "user", "content": note}]


@lru_cache(maxsize=None)
def copy_schema(length: str = "medium") -> dict:
    """ProductCopy's JSON schema with length bounds, so that constrained decoding always ends."""
    description_chars = LENGTHS[length][2]
    return {
        "type": "object",
        "properties": {
            "title": {"type": "string", "minLength": 3, "maxLength": 120},
            "bullets": {"type": "array", "items": {"type": "string", "minLength": 3, "maxLength": 100},
                        "minItems": 3, "maxItems": 5},
            "description": {"type": "string", "minLength": 20, "maxLength": description_chars},
            "seo_keywords": {"type": "array", "items": {"type": "string", "minLength": 2, "maxLength": 30},
                             "maxItems": 6},
        },
        "required": ["title", "bullets", "description", "seo_keywords"],
        "additionalProperties": False,
    }


def response_format(length: str = "medium") -> dict:
    """The OpenAI ``response_format`` vLLM turns into JSON-schema constrained decoding."""
    return {"type": "json_schema",
            "json_schema": {"name": "product_copy", "schema": copy_schema(length), "strict": True}}


assert set(copy_schema()["properties"]) == set(ProductCopy.model_fields)
