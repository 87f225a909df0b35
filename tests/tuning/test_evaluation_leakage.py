"""Rules that generalise: no evaluation request is among the planner's labelled examples, written into its rules or
its tuning phrase banks, and the agent benchmark's conversations are not copies of planner examples."""

from __future__ import annotations

import ast
import json
from pathlib import Path

from tools.language import normalise
from tuning.evalset import GROUPS, eval_set_names, load_requests

ROOT = Path(__file__).resolve().parents[2]
PLANNERS = ROOT / "agent" / "planners"
EXAMPLES = PLANNERS / "intent_examples.txt"
NEED_EXAMPLES = PLANNERS / "need_examples.txt"  # the same form (label<TAB>text): the leaf-by-meaning's needs
RULE_MODULES = [PLANNERS / name for name in ("cues.py", "rules.py", "vocab.py", "slots.py")]
TUNING_BANKS = [ROOT / "tuning" / "templates.py", ROOT / "tuning" / "data.py"]
CONVERSATIONS = ROOT / "evals" / "agent" / "conversations.json"


def _requests() -> dict[str, str]:
    """Every evaluation request, normalised for case and punctuation -> where it comes from."""
    out = {}
    for group in GROUPS:
        for name in eval_set_names():
            for r in load_requests(name, group):
                out.setdefault(normalise(r.message), f"{group}/{name}: {r.message}")
    return out


def _examples() -> set[str]:
    return {normalise(line.split("\t", 1)[1]) for path in (EXAMPLES, NEED_EXAMPLES)
            for line in path.read_text().splitlines() if line.strip() and not line.startswith("#") and "\t" in line}


def _literals(path: Path) -> list[str]:
    """The string constants of a module (its rule phrases), normalised."""
    tree = ast.parse(path.read_text())
    return [normalise(n.value) for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def test_no_evaluation_request_is_a_planner_example() -> None:
    requests = _requests()
    leaked = sorted(requests[m] for m in _examples() if m in requests)
    assert leaked == []


def test_no_evaluation_request_is_written_into_the_rules_or_tuning_banks() -> None:
    requests = {m: where for m, where in _requests().items() if len(m.split()) >= 3}
    leaked = []
    for path in RULE_MODULES + TUNING_BANKS:
        text = " | ".join(_literals(path))
        leaked += [f"{path.name}: {where}" for m, where in requests.items() if f" {m} " in f" {text} "]
    assert sorted(leaked) == []


def test_agent_benchmark_conversations_share_no_message_with_planner_examples() -> None:
    examples = _examples()
    turns = [t["message"] for c in json.loads(CONVERSATIONS.read_text()) for t in c["turns"]]
    assert len(turns) >= 50
    assert sorted(m for m in turns if normalise(m) in examples) == []


def test_no_planner_example_is_a_near_copy_of_a_held_out_request() -> None:
    """The held-out sets measure rules on words they were not written from: no labelled example may be a held-out
    request reworded by a letter or two (rapidfuzz ratio >= 90 on the normalised text). A set written as held out
    ("heldout*") stays guarded after rules were written from its misses: rules may learn its kinds of miss, the
    examples may not copy its requests."""
    from rapidfuzz import fuzz, process

    from tuning.evalset import HELD_OUT

    held = [(normalise(r.message), f"{g}/{n}: {r.message}") for g in GROUPS if HELD_OUT[g] or g.startswith("heldout")
            for n in eval_set_names() for r in load_requests(n, g)]
    assert len(held) >= 150
    examples = sorted(_examples())
    close = [(where, hit[0]) for m, where in held
             if (hit := process.extractOne(m, examples, scorer=fuzz.ratio, score_cutoff=90))]
    assert close == []
