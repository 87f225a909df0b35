"""CRMArena's metrics without an external model: answer extraction by rules, exact match after normalisation for
ids/months/states, token F1 for knowledge QA, and pass^k over repeated trials."""

from __future__ import annotations

import re
import string
from collections import Counter
from math import comb

from evals.crm.periods import MONTHS
from evals.crm.schema import OBJECTS

PREFIX = {"agent": OBJECTS["User"][0], "issue": OBJECTS["Issue__c"][0], "product": OBJECTS["Product2"][0],
          "article": OBJECTS["Knowledge__kav"][0]}
STATE_NAMES = {"california": "CA", "new york": "NY", "texas": "TX", "washington": "WA", "oregon": "OR",
               "florida": "FL", "illinois": "IL", "massachusetts": "MA", "colorado": "CO", "georgia": "GA",
               "north carolina": "NC", "arizona": "AZ"}
_NONE = re.compile(r"\b(none|no violation|not violated|no policy was|not found|no (such|matching|relevant)|nothing)\b",
                   re.I)
NO_ANSWER = ""  # what a reply that names nothing usable extracts to: wrong for every task, "None" tasks included


def final_segment(text: str) -> str:
    """The part after the last 'Final Answer:' / 'Answer:' marker (else the whole text)."""
    m = list(re.finditer(r"(final answer|answer)\s*[:=]", text, re.I))
    return text[m[-1].end():] if m else text


def extract_answer(text: str | None, kind: str) -> str:
    """The answer a reply gives, as the canonical string: 'None' only when the reply says so; an empty string when
    it names nothing usable (so a silent or rambling reply never scores on a task whose answer is None)."""
    if not text:
        return NO_ANSWER
    seg = final_segment(text)
    says_none = bool(_NONE.search(seg))
    if kind in PREFIX:
        pat = re.compile(rf"\b{PREFIX[kind]}[A-Za-z0-9]{{12}}\b")
        found = pat.findall(seg) or ([] if says_none else pat.findall(text))
        return found[-1] if found else ("None" if says_none else NO_ANSWER)
    if kind == "month":
        found = re.findall(r"\b(" + "|".join(MONTHS) + r")\b", seg, re.I) or re.findall(
            r"\b(" + "|".join(MONTHS) + r")\b", text, re.I)
        return found[-1].capitalize() if found else ("None" if says_none else NO_ANSWER)
    if kind == "state":
        codes = set(STATE_NAMES.values())
        found = [c for c in re.findall(r"\b([A-Z]{2})\b", seg) if c in codes]
        if not found:
            found = [STATE_NAMES[n.lower()] for n in re.findall("|".join(STATE_NAMES), seg, re.I)]
        return found[-1] if found else ("None" if says_none else NO_ANSWER)
    return seg.strip().strip('"').strip()


def normalize(text: str) -> str:
    """SQuAD normalisation: lower case, no punctuation, no articles, single spaces."""
    text = text.lower()
    text = "".join(ch for ch in text if ch not in set(string.punctuation))
    text = re.sub(r"\b(a|an|the)\b", " ", text)
    return " ".join(text.split())


def exact_match(prediction: str, answer: str | None) -> float:
    if not prediction:
        return 0.0
    return float(normalize(prediction) == normalize(answer if answer is not None else "None"))


def token_f1(prediction: str, answer: str | None) -> float:
    pred, gold = normalize(prediction).split(), normalize(answer if answer is not None else "None").split()
    common = Counter(pred) & Counter(gold)
    same = sum(common.values())
    if not pred or not gold or same == 0:
        return float(pred == gold)
    precision, recall = same / len(pred), same / len(gold)
    return 2 * precision * recall / (precision + recall)


def score(reply: str | None, answer: str | None, kind: str, metric: str) -> tuple[float, str]:
    """(score in [0, 1], extracted answer)."""
    pred = extract_answer(reply, kind)
    if metric == "token_f1":
        return token_f1(pred, answer), pred
    return exact_match(pred, answer), pred


def pass_hat_k(successes: list[int], trials: int, k: int) -> float:
    """tau-bench's pass^k: the chance that k trials drawn from ``trials`` all succeed, averaged over tasks."""
    if not successes or k > trials:
        return 0.0
    return sum(comb(c, k) / comb(trials, k) for c in successes) / len(successes)
