"""The second labelling of heldout25 scores as README and docs/tuning.md say (a claim, checked against its data)."""

from __future__ import annotations

import json

import pytest

from tuning.evalset import DEV_DIR, load_requests, score_plan

_LABELS = DEV_DIR.parent / "heldout25_requests" / "second_labeller"


@pytest.mark.parametrize(("shop", "actions", "args"), [("demo", 125, 125), ("beauty", 128, 127)])
def test_the_second_labeller_agrees_with_the_sets_labels(shop: str, actions: int, args: int) -> None:
    requests = load_requests(shop, "heldout25")
    second = [json.loads(line) for line in (_LABELS / f"{shop}.jsonl").read_text().splitlines()]
    assert [s["id"] for s in second] == list(range(len(requests)))
    scores = [score_plan(r, s["action"], s["args"]) for r, s in zip(requests, second)]
    assert (sum(a for a, _, _ in scores), sum(g for _, g, _ in scores)) == (actions, args)
