"""A shop policy file: Markdown, one ``## Heading`` a section, paragraphs separated by blank lines. Stored as
``<data_dir>/policy.md``, beside the catalog directory (a catalog reload leaves it in place)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from pydantic import BaseModel

from core.errors import ShopagentError

POLICY_FILENAME = "policy.md"
DEMO_POLICY = Path(__file__).with_name("demo_policy.md")
# the topics a service question is about, as section headings name them
TOPICS: dict[str, tuple[str, ...]] = {
    "shipping": ("ship", "deliver", "postage", "freight"),
    "returns": ("return", "refund", "exchange"),
    "payment": ("pay", "billing", "checkout"),
    "order status": ("order", "tracking", "track"),
    "contact": ("contact", "support", "customer service", "help"),
}


class PolicyPassage(BaseModel):
    """One paragraph of the policy, under its section heading."""

    section: str
    topic: str | None  # one of ``TOPICS`` when the heading names one
    text: str


class Policy(BaseModel):
    source: str
    passages: list[PolicyPassage]

    def topics(self) -> list[str]:
        return sorted({p.topic for p in self.passages if p.topic})


def _topic(heading: str) -> str | None:
    h = heading.lower()
    for topic, words in TOPICS.items():
        if any(w in h for w in words):
            return topic
    return None


def load_policy(path: Path) -> Policy:
    """The passages of a policy file; fails when it has no ``## `` section with text."""
    path = Path(path)
    if not path.is_file():
        raise ShopagentError(f"no policy file at {path}: pass a Markdown file with '## Shipping', '## Returns', ... "
                             "sections")
    passages: list[PolicyPassage] = []
    section = ""
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        lines = [ln.rstrip() for ln in block.strip().splitlines()]
        while lines and lines[0].startswith("#"):
            if lines[0].startswith("## "):
                section = lines[0][3:].strip()
            lines = lines[1:]
        text = " ".join(ln.strip() for ln in lines if ln.strip())
        if text and section:
            passages.append(PolicyPassage(section=section, topic=_topic(section), text=text))
    if not passages:
        raise ShopagentError(f"{path} has no policy text under a '## Section' heading (e.g. '## Returns')")
    return Policy(source=path.name, passages=passages)


def write_policy(data_dir: Path, path: Path) -> tuple[Path, Policy]:
    """Check and copy the policy file to ``<data_dir>/policy.md``; (where it went, what it holds)."""
    policy = load_policy(path)
    out = Path(data_dir) / POLICY_FILENAME
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    shutil.copyfile(path, tmp)
    tmp.replace(out)
    return out, policy


def open_policy(data_dir: Path) -> Policy | None:
    """The shop's stored policy, or None when it has none."""
    path = Path(data_dir) / POLICY_FILENAME
    return load_policy(path) if path.is_file() else None
