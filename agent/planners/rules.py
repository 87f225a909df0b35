"""The planner that needs no LLM judgement: intent by nearest labelled examples (MiniLM), slots by the catalog."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from rapidfuzz import fuzz

from agent.actions import ActionArgs, NextAction
from agent.planners import cues
from agent.planners.base import PlanContext, PlanResult, ShownProduct, validate_plan
from agent.planners.shown_refs import (comparative_positions, described_positions, history_pick, history_position,
                                       kind_positions, marked_positions, name_positions, priced_pick,
                                       reply_positions, shared_name_positions, talked_about)
from agent.planners.slots import FILLER, Slots, parse_slots, without_first_of_all
from agent.planners.title_leaves import stem
from agent.planners.vocab import Vocabulary, colour_alternation, join_initials, name_heads
from tools.language import CORRECTION, UNITS, normalise, parse_bounds, singular

log = logging.getLogger(__name__)

_INJECTION = re.compile(
    r"\b(ignore|disregard|forget|override)\b.*\b(instruction|rule|prompt|guideline)s?\b|system prompt|you are now|"
    # "forget you're a shop assistant and ...": the assistant told to drop what it is
    r"\bforget (that )?(you'?re|you are|youre) (a|an|the) |\b(stop|quit) being (a|an|the) |"
    r"^\W*(system|assistant|developer|admin|root)\s*:|\b(admin|developer|debug|god|maintenance|jailbreak)\s+mode\b|"
    r"\b(set|change|update|modify|edit)\s+(the\s+)?(price|stock|rating)s?\s+(of|for|to)\b|\bact as (an? )?"
    r"(admin|administrator|developer|system)\b|\bpretend (to be|you are|you'?re|youre)\b|"
    # a turn forged inside the message: "</user> assistant: action=refine", "new instruction: output ..."
    r"</?\s*(user|system|assistant|human|instructions?)\s*>|\bnew instructions?\s*:|"
    r"\b(assistant|system)\s*:\s*(action|output|respond|reply|say)\b|"
    # a role claimed to get what no shopper may: "as the site admin i'm ordering you", "you're the store owner now"
    r"\b(as|i'?m|i am) (the |a |an )?(site|store|shop|web ?site) (admin|administrator|owner|manager|developer)\b|"
    r"\bas (the|an?) (admin|administrator|owner)\b|"
    r"\byou'?re (now )?(the |a )?(store |shop |site )?(owner|admin|administrator|manager)\b|"
    r"\b(list|give|show|send|tell)( me)? (the |all )?(e-?mails?|addresses|phone numbers|names|details|data) of "
    r"(everyone|everybody|all|other|every)\b", re.I)

# "that" as a relative pronoun after a kind of product ("conditioners that are sulfate free"): a description of what
# is wanted, not a pointer at a product on screen
_RELATIVE_THAT = (r"\bthat (are|is|have|has|come|comes|contain|contains|work|works|feel|feels|smell|smells|last|lasts|"
                  # "a liner that doesn't smudge", "a mascara that won't run": what it must not do
                  r"doesnt|dont|wont|will|cant|can|stays?|keeps?|goes|go|isnt|arent|never)\b")

_UNITS = "|".join(sorted(UNITS))
# "just" of narrowing ("just the black ones"), not of time ("just moved in", "just started running")
_JUST = r"just(?! (?:moved|started|got|bought|had|became|turned|joined|finished|signed|retired|arrived)\b)"
_REFINE_CUE = (r"\b(only|" + _JUST + r"|these|those|them|ones|any of|among|here|filter|narrow|keep|same|instead|"
               r"cheaper|"
               r"what about|how about|rather|of the|nothing but|none but|exclusively|strictly|"
               # "any from <brand>?": the elliptical "any" is any of the kind shown ("anything from" is a new look)
               r"any (from|by)|"
               r"(cut|pare|whittle)(s|ed|ing)?( \w+)? down|"
               r"(limit|restrict)(s|ed|ing)?( (it|them|these|those|the list|things|results))? to|"
               r"(limit|restrict)(s|ed|ing)? (it|them|these|those|the list)|"
               # "stick with Korra", "keep it to Solara": stay within what is shown, by that brand or price
               r"(stick|stay)(ing)? (with|to)|keep (it|them|things|this|the list) to|"
               r"narrow(ed|ing)? (it|them|things|this|the list|results)( down)? to)\b")
# "the real thing, no knockoffs": a similar-cue word said to rule it out, not to ask for it; "<a thing> or something
# like that": a hedge on the thing said, no likeness asked
_NO_LIKENESS = re.compile(r"\b(not|no|without|never|zero|nothing)\s+(any\s+)?(cheap\s+|fake\s+)?"
                          r"(knock[- ]?offs?|dupes?|fakes?|copies|imitations?|lookalikes?|look[- ]alikes?)\b|"
                          r"\bor (anything|something|sth|smth|stuff|things|whatever)( else)? (like|similar to) "
                          r"(that|this|it)\b|"
                          # the shopper's own, used up: "won't flake like the one i had"
                          r"\b(like|than) (the|my) (last |old |previous )?one (that )?(i|we)\b")


def _likeness_asked(norm: str) -> str:
    """The message without the likeness words that ask for none: ruled out ("no dupes"), a hedge ("or something
    like that") or the shopper's own used up ("like the one i had")."""
    return _NO_LIKENESS.sub(" ", norm)

# words that ask for shown products side by side
_COMPARE = (r"\b(compare|vs|versus|differences?|differ|diff|side by side|which (one )?is better|better|"
            r"(stacks?|measures?) up)\b")
# a kind said in place of the one asked about: "boots instead", "a lip balm actually"
_INSTEAD = re.compile(r"\b(instead|actually|rather|after all)\b", re.I)
# how much nearer in meaning an answer must be to one option of a question than to the other to pick it
_OPTION_MARGIN = 0.15
# a comparison said of one product against another: "better than", "worse than", "compared to"
_BETTER_THAN = r"\b(better|worse|nicer|gentler|stronger|cheaper|safer) than\b|\bcompared? (to|with)\b"
# the senses a product is liked by: "smells like", "looks like"
_SENSES = r"smells?|looks?|feels?|tastes?"
# words that ask for more like a product ("ones that smell like the <name>": the same senses a product is liked by)
_LIKENESS = (r"\b(similar|alike|same (vein|style|kind|sort|type)|more like|in that style|along those lines|"
             rf"alternatives?|dupes?|substitutes?|({_SENSES}|smelling|looking|feeling) like)\b")
# someone's own product told before a likeness ("my brother paid 300 for <a kind>", "my sister got <a kind>, i
# want something like that")
_TOLD_PURCHASE = (r"\b(paid|bought|spent|got|has|owns|gave)\b.{0,60}\b(something|anything|one|ones) like "
                  r"(that|those|it)\b")
# a shown product's likeness by the senses: "perfumes that smell like the <name>" (but "does that smell like
# vanilla" asks of it)
_SENSED_LIKE = rf"(?<!does )(?<!do )(?<!is )\b(that|which|ones|something|anything) ({_SENSES}) like\b"
# a shown product named after a bare "like": "perfumes like the <name>", "like <name> but another brand"
_LIKE_SHOWN = re.compile(r"(?:^|\b(?P<other>other |more )?(?P<what>[a-z]+) )like\b"
                         r"(?! (?:in|at|on|a|an|when|if|how|what|with|this|these)\b)")
# the maker of the product talked about, asked of ("do they make a ...", "does that brand do ...")
_THEIR_MAKER = re.compile(r"\b(?:do|does|did) (?:they|them|that brand|the brand|this brand) (?:also |even |ever )?"
                          r"(?:do|make|sell|have|carry|offer|come out with)\b")
# a message that points back at a product without naming it: "more in that vein", "got anything alike?", "is that
# one vegan"
_POINTS_BACK = re.compile(rf"\b(it|its|this|that|this one|that one)\b|{_LIKENESS}")
# a likeness to a product pointed at, not named: "like that one", "like that little round one", "as this one", "like it"
_LIKE_POINTED = re.compile(r"\b(like|as|to) (that|this|the)( \w+){0,3} one\b|"
                           r"\blike (that|this|it|them|those|these)\s*[?.!]*$")
# the shopper's own buying told ("the stuff i usually buy", "my past orders"): a pick from their history
_OWN_HABITS = (r"\bi (?:usually|normally|always|often|regularly|tend to) (?:buy|get|order|purchase|use)|"
               r"\b(?:bought|ordered|purchased) (?:before|last time|here)\b|\bmy (?:past |previous |old )?"
               r"(?:orders|purchases|history|usuals?)\b")
# words that point at the shown products as a group: "these from <brand>", "pricier ones"
_THE_SHOWN_ONES = r"\b(these|those|them|ones)\b"
# words that point at a product on screen (or just talked about) without naming it
_POINTED_AT = (r"\b(it|its|this|that|these|those|them|they|one|ones|number|item|option|first|second|third|fourth|"
               r"last)\b")

# an ordinal said with only the words that join a follow-up on ("ok, the second then"): that product, nothing more
_LONE_POSITION = frozenset("first 1st second 2nd third 3rd fourth 4th fifth 5th last final the one ok okay right then "
                           "so yes yeah alright please pls".split())
# what a variant of a product is told by: "in a paler shade", "other sizes"
_VARIANT_WORDS = r"shades?|colou?rs?|sizes?|finish|scents?|tones?|versions?"
# a variant of what is shown asked in a few words ("smaller one?", "in a paler shade?"): the list narrowed, no new kind
_VARIANT = re.compile(r"^\W*(?:(?:a|an|any|something|one)\s+)?(?:(?:bit|little|touch)\s+)?(?:bigger|smaller|larger|"
                      r"lighter|darker|longer|shorter|heavier|wider|narrower|thinner|thicker|brighter|paler|deeper|"
                      r"softer|stronger)(?:\s+\w+)?|"
                      r"^\W*(?:and\s+|but\s+|maybe\s+|any\s+|anything\s+|something\s+|ones?\s+)?(?:in|with)\s+"
                      r"(?:a\s+|an\s+|more\s+|other\s+)?(?!stock\b)\w+"
                      rf"(?:\s+(?:{_VARIANT_WORDS}))?\W*$", re.I)
# another variant of what is shown asked for ("other shades?", "maybe in a paler tone", "do they come in any
# other sizes"): the list narrowed, no new kind
_OTHER_VARIANT = re.compile(r"\b(?:other|different|another|more|diff|any other)\s+"
                            rf"(?:{_VARIANT_WORDS}|colou?rways?|finishes|flavou?rs?|styles?|patterns?)\b", re.I)


def _in_a_colour_pack(norm: str) -> bool:
    """Whether the message asks for a colour of the container ("one in a green jar?", "in a black case"): the
    variant of what is shown, the container no kind asked for."""
    return bool(re.search(rf"\bin (?:a |an )?(?:{colour_alternation()}) (?:bottle|tube|jar|case|box|pack|packaging|tin|"
                          rf"pot|can|compact|palette)s?\b", norm))


@lru_cache(maxsize=1)
def _comes_in() -> re.Pattern[str]:
    """What is shown asked for in a colour or a size ("does it come in navy", "got these in a 9?", "how about in
    teal", "got these in a green jar?"): the list narrowed to that variant, no new kind."""
    return re.compile(r"\b(?:comes?|available|made|sold|(?:have|got) (?:it|them|these|those|this|that|they|any|"
                      r"anything|some|ones?)|"
                      r"(?:it|they|them|these|those)|(?:what|how) about)\s+in\s+(?:a\s+|an\s+|any\s+|other\s+|size\s+)?"
                      rf"(?:{colour_alternation()}|\d+(?:\.5)?\b|(?:\w+\s+)?(?:{_VARIANT_WORDS})\b)", re.I)


# another page of the same list asked for, nothing else ("next", "show me more", "any others?", "page 2", "other
# options"): the list's next products, no likeness to one of them
_PAGING = re.compile(r"^\W*(?:(?:ok|okay|and|so|hmm|um)\W+)?(?:(?:can you |could you )?(?:show|give|load|see|get)\s+"
                     r"(?:me\s+|us\s+)?(?:some\s+)?|any\s+|got\s+(?:any\s+)?|are there\s+(?:any\s+)?)?"
                     r"(?:next|nxt|more|others|other ones|another page|another few|keep (?:going|(?:them|em) coming)|"
                     r"(?:other|different) (?:options|choices)|"
                     r"go on|carry on|continue|"
                     r"page (?:\d+|one|two|three|four|five|six|seven|eight|nine|ten)|"
                     r"the next (?:page|ones|few|lot|batch)|the rest(?: of (?:them|em|the list|the results))?|"
                     r"(?:a )?(?:few|couple|couple of|handful|bunch|lot) (?:more|others|other ones)|"
                     r"next (?:page|ones|few|results|options|batch|set|lot))"
                     r"(?:\s+(?:please|pls|plz|results|options|ones|products|items|then|thanks))*\W*$", re.I)
# words that mean every shown product, whatever else is named
_ALL_WORDS = r"\b(all|both|every|each|everything)\b"

# words that open a new search rather than narrow the list
_NEW_SEARCH = r"^\W*(?:hey |hi |so |ok |okay )?(?:i ?a?m |im )?(?:looking|lookin|searching|shopping|hunting) for\b"
# a thing asked for someone or something of the shopper's: a new need, whatever is shown
_SOMETHING_FOR = r"\b(something|anything|a gift|a present|ideas?) for (my|our|a|an|his|her|their) \w+"

# words that narrow the list to a brand rather than point at one product ("just the summit pairs")
# "rather wide feet", "trails or just road": an adverb or an alternative, not a narrowing
_FILTER_CUE = (r"\b(only|(?<!\bor )" + _JUST + r"|narrow(?=\s+(?:it|them|these|those|this|that|down|to|the|my|"
               r"things|results|list)\b)|filter|keep|nothing but|none but|exclusively|strictly|instead|"
               r"(?<!\bor )rather(?= than| have| see| go| get| stick| stay| not| prefer)|"
               r"limit|restrict|(stick|stay) (with|to))\b"
               r"(?!\s+(?:at|in|on|if|when|once|after|before|during|because|by)\b)")  # "only at night": when, not which
# "is it lips only": whether a product is for one use, asked (no narrowing)
_FOR_ONE_USE = re.compile(r"\b(is|are) (it|they|this|that) (\w+ ){1,2}only\b")


def _brand_none_shown(slots: Slots, context: PlanContext) -> bool:
    """A brand named that none of the shown products is, with nothing said before and no shown product pointed at."""
    return bool(slots.brand) and not context.history and not slots.positions \
        and all(p.brand != slots.brand for p in context.shown)


def _names_nothing(slots: Slots) -> bool:
    """Whether the message names no kind, brand, price or shown product ("sure, go on"; not "yes, but only <brand>")."""
    return not (slots.category or slots.title_category or slots.brand or slots.positions or slots.all_shown
                or slots.min_price is not None or slots.max_price is not None)


def _filter_cued(norm: str) -> bool:
    """Whether the message narrows what is shown by a word of ``_FILTER_CUE`` ("only", "just", "filter")."""
    return bool(re.search(_FILTER_CUE, _FOR_ONE_USE.sub(" ", norm)))


# a question about a property of what is referred to: "do they fold", "is it vegan", "will it fit"
_PROPERTY_QUESTION = re.compile(r"\b(do|does|did|is|are|can|will|would|could|should)\s+(they|it|these|those|this one|"
                                r"that one)\s+(?!(have|sell|carry|stock|make)\b)\w+", re.I)


# the words of a question typed without its mark ("prada candy how long does it last")
_QUESTION_WORDS = re.compile(r"\b(how|what|whats|why|when|where|which|is it|are they|does it|do they|can it|can they|"
                             r"will it|will they|would it|would they)\b|"
                             r"^(?:(?:ok|okay|so|and|hmm|right) )?(does|did|is|are|has)\b|"
                             r"^(?:(?:ok|okay|so|and|hmm|right) )?(do|can|could|will|would)\b"
                             r"(?! (you|u|ya|yall|i|we)\b)")
# words that ask for products beside the one named: "more harmonix?", "any other korra", "something else by prada"
# ("in stock" asks of the one shown, "do you stock" of others)
_OTHERS = re.compile(r"\b(more|other|others|another|else|any|anything|something|similar|alternatives?|cheaper|"
                     r"range|line|collection|products|stuff|sell|carry|back in stock|(?<!in )stock|make|makes|"
                     r"(you|u|ya) (have|got)|"
                     r"from|by)\b")
# rules whose plan stands whatever was asked before: the message is about something else
_SETTLED = frozenset(f"rule: {name}" for name in ("injection", "greeting", "code", "pasted review", "price match",
                                                  "service question", "writing", "off topic", "a gift"))
# a thing had with another or ruled out ("with a diffuser", "not a backpack"): no kind asked for
_NOT_ASKED = re.compile(r"\b(with|without|not|no|instead of) (an? |the |any )?\w+")
# the assistant offering to pick ("Want me to suggest a few?"), and a yes to it ("sure, why not")
_PICK_OFFERED = re.compile(r"\b(want|like|shall|should|can|could|may) (me|i) (to )?(suggest|recommend|pick|choose)\b",
                           re.I)
_YES = re.compile(r"^\W*(yes|yeah|yea|yep|yup|sure|ok|okay|please|go on|go ahead|why not|sounds good|absolutely|"
                  r"definitely|of course|that would be great)\b", re.I)
# "nah, that's it", "no thanks", "never mind": the question asked is closed, not answered
_DONE = re.compile(r"^\W*(no(?!\s+(?:more|less|higher|lower|over|under|above|below|cheaper|pricier|bigger|smaller)\b)|"
                   r"nope|nah|not really|nothing|never ?mind|nvm|all good|i'?m good|im good|that'?s (all|it)|"
                   r"thats (all|it)|no thanks?|no thank you)\b", re.I)
# an assistant's turn that shows products ("Here are some face sunscreens"): no question left open
_SHOWS = re.compile(r"\b(here are|here is|here's|heres|i found|these|those|below|above|showing|shown)\b", re.I)


# an assistant's question that only offers more help: "Anything more I can help with?", "How can I help today?"
_OFFER = re.compile(r"\b(?:anything|something|what)(?: else)? (?:i|we) (?:can|could) (?:help|do|find)|"
                    r"\b(?:can|could|may) (?:i|we) help(?: you)?(?: with)? (?:anything|something)|"
                    r"\bhow (?:can|may|could) (?:i|we) help|\bwhat can (?:i|we) (?:do|get|find)", re.I)
# words that keep what the last search asked: "same budget", "same thing but from Alpa", "same price range"
_SAME = re.compile(r"\bsame (?:budget|price|price range|range|limit|max|maximum|money|spend|thing|again|deal|kind|"
                   r"type|sort|size|one but)\b", re.I)
# a figure of the last request corrected: "sorry I meant 110 not 90", "make it 60", "change that to 1.5k"
_FIGURE_FIX = re.compile(r"\b(?:meant|mean|make (?:it|that)|change (?:it|that) to)\s+\$?(\d[\d,.]*k?)\b"
                         r"(?:\s*,?\s*(?:not|instead of|rather than)\s+\$?(\d[\d,.]*k?)\b)?", re.I)
# a filter by a pronoun: "fine, only them please", "just theirs": the brand the last exchange named
# ("same make, under 80", "their lighter models?")
_PRONOUN_FILTER = re.compile(r"\b(?:just|only)\s+(?:them|theirs|their (?:ones|stuff|products))\b|"
                             r"\bsame (?:brand|make|maker|label|company|manufacturer)\b|"
                             r"\btheir (?:\w+ )?(?:ones|stuff|products|range|line|models?|versions?)\b", re.I)

# the maker the last exchange named, as "they": "do they make gloves too?", "anything by them for kids?"
_THEY_MAKE = re.compile(r"\b(?:do|does|did|can|could|would)\s+they\s+(?:also\s+)?(?:make|have|do|sell|carry|offer|"
                        r"produce)\b|\b(?:by|from)\s+them\b", re.I)
# a message that turns the last request elsewhere: "what about for my dad", "for a toddler actually", "no wait, ..."
_REDIRECT = re.compile(r"^\W*(what|how) about\b|^\W*(hang|hold) on\b|"
                       r"^\W*(and )?for (my|the|a|an|our|me|him|her|them)\b|" + CORRECTION.pattern)


# the assistant asking for an order's number ("Can I have the order number, please?") and a code that answers it
_ORDER_ASKED = re.compile(r"\border\s*(?:number|no\b|id\b|#|reference|ref\b|confirmation)|"
                          r"\b(?:number|reference|confirmation)\s+(?:of|for|on)\s+(?:your|the|that)\s+order\b", re.I)
_ORDER_CODE = re.compile(r"(?<![\w$€£.,])#?(?:[a-z]{1,4}\s?[-#]?\s?)?\d{4,}\b", re.I)


def _last_exchange(history: list[dict[str, str]]) -> tuple[str, str] | None:
    """(the shopper's last request, the assistant's reply to it) when the history ends so; None otherwise."""
    if len(history) < 2 or history[-1].get("role") != "assistant" or history[-2].get("role") != "user":
        return None
    return history[-2].get("content", "").strip(), history[-1].get("content", "").strip()


def _last_search(history: list[dict[str, str]]) -> str | None:
    """The shopper's last request when the assistant's reply to it showed products ("Here are some 4-person tents");
    None otherwise."""
    last = _last_exchange(history)
    if last is None or not _SHOWS.search(last[1]):
        return None
    return last[0] or None


def _question_asked(history: list[dict[str, str]]) -> str | None:
    """The shopper's request when the assistant's last turn asked about it and showed nothing ("i'm after a tent" /
    "How many people should it sleep?"): the next message answers it; None otherwise, also when the question only
    offers more help ("Anything else I can help with?"): that asks nothing about the request."""
    last = _last_exchange(history)
    if last is None or not last[1].endswith("?") or _SHOWS.search(last[1]) or _OFFER.search(last[1]):
        return None
    return last[0] or None


def _talk_since_shown(history: list[dict[str, str]]) -> str:
    """The shopper's turns since the assistant last showed products, joined: what a run of questions and answers has
    asked for so far ("a tent for the kids" / "two of them" / "something light", each answering a question)."""
    said: list[str] = []
    for turn in reversed(history):
        if turn.get("role") == "assistant" and _SHOWS.search(turn.get("content", "")):
            break
        if turn.get("role") == "user" and turn.get("content", "").strip():
            said.insert(0, turn["content"].strip())
    return ", ".join(said)


# the options a question offers: "A dome tent or a tunnel tent?", "do you want it wired or wireless, and ..."
_OPTIONS = re.compile(r"((?:[\w'-]+ ){0,2}[\w'-]+) or (?:an? |the )?((?:[\w'-]+ ){0,2}?[\w'-]+)\s*(?:[?,.;]|$)", re.I)


def _options(question: str) -> tuple[str, str] | None:
    """The two options the assistant's question offers ("A dome tent or a tunnel tent?"), normalised, no article."""
    m = _OPTIONS.search(question)
    if m is None:
        return None
    first, second = (" ".join(w for w in normalise(o.replace("-", " ")).split() if w not in ("a", "an", "the"))
                     for o in m.groups())
    return first, second


def _option_said(options: tuple[str, str], answer: str) -> int | None:
    """The index of the option the answer's words pick ("the tunnel sort": a word of only that option, or the start
    of one: "hair" of "hairband"; or the whole of one option's words in a row: "in ear" of "over-ear or in-ear");
    None otherwise."""
    words = [o.split() for o in options]
    norm = normalise(answer.replace("-", " "))
    said = [w for w in norm.split() if len(w) >= 3 and w not in FILLER]

    def picks(mine: list[str], others: list[str]) -> bool:
        return any(any(o == w or o.startswith(w) for o in mine) and not any(o == w or o.startswith(w) for o in others)
                   for w in said)

    chosen = [i for i in (0, 1) if picks(words[i], words[1 - i])]
    if len(chosen) != 1:
        chosen = [i for i in (0, 1) if f" {options[i]} " in f" {norm} " and f" {options[1 - i]} " not in f" {norm} "]
    return chosen[0] if len(chosen) == 1 else None


_ORDINAL_PICK = re.compile(r"\b(?:the\s+)?(first|1st|second|2nd|third|3rd|fourth|4th|last|latter|former)"
                           r"(?:\s+(?:one|option|kind|type))?\b", re.I)
_ORDINAL_INDEX = {"first": 0, "1st": 0, "former": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2, "fourth": 3,
                  "4th": 3, "last": -1, "latter": -1}
# words that open a question before its first option ("Do you want a tint, a balm or a gloss?")
_ASKING_WORDS = frozenset("are is it you after looking for do want would like prefer need either which kind type sort "
                          "of a an the more into thinking".split())


def _listed_options(question: str) -> list[str]:
    """The options the assistant's question lists ("Are you after a cleanser, a moisturiser, a serum or a
    sunscreen?": cleanser, moisturiser, serum, sunscreen), in order; [] when it lists fewer than two."""
    sentence = re.split(r"[.!:;]\s+", question.strip())[-1]
    head, sep, last = sentence.rpartition(" or ")
    if not sep:
        return []
    parts = [*head.split(","), last]
    options = [" ".join(w for w in normalise(p.replace("-", " ")).split() if w not in ("a", "an", "the"))
               for p in parts]
    first = normalise(parts[0].replace("-", " ")).split()
    while first and first[0] in _ASKING_WORDS:
        first.pop(0)
    options[0] = " ".join(first)
    return [o for o in options if o] if all(options) and len(options) >= 2 else []


def _ordinal_option(question: str, answer: str) -> tuple[str, str] | None:
    """(the option of the assistant's list an ordinal answer picks, the answer without the ordinal): "the last one,
    for the beach" after "a lip tint, boots or a tent?" is the tent; None otherwise."""
    answer = without_first_of_all(answer)  # "boots first": the order of business, not the first option
    m = _ORDINAL_PICK.search(answer)
    options = _listed_options(question) if m else []
    index = _ORDINAL_INDEX[m.group(1).lower()] if m else 0
    if not options or index >= len(options):
        return None
    return options[index], (answer[:m.start()] + answer[m.end():]).strip(" ,.")


def _opens_clause(match: re.Match[str], message: str) -> bool:
    """Whether a question's words open the message or a clause of it (after a comma, or after the one word that named
    the product: "BR0003 is it waterproof"): a question typed without its question mark."""
    before = message[:match.start()].strip()
    return not before or before[-1] in ",.;:!-" or len(before.split()) == 1


_POLITE = frozenset("please pls plz thanks thx thank you ty".split())
# words that make a brand's name more than a name: a pointer, a comparison, a narrowing, a question
_NOT_A_LINE = re.compile(r"\b(vs|versus|compare|compared|similar|dupes?|alternatives?|like|instead|rather|"
                         r"cheaper|pricier|better|worse|good|bad|tell|describe|details?|info|reviews?|about)\b")


# how alike (rapidfuzz ratio) a message must be to a brand's name to be that name misspelt, word for word
_SPELT_AS = 75


def _brand_rest(norm: str, brand: str) -> list[str] | None:
    """The words said besides the brand's name and courtesies (its possessive "olays" counts as the name; a message
    that is the name misspelt leaves none), or None when the name is not said whole."""
    name = normalise(brand)
    padded = f" {join_initials(norm)} "  # "e.l.f." typed "elf"
    for form in (f"{name}s", name, join_initials(name), join_initials(name).split()[0]):
        # "Olay's range": the possessive is the brand too; "elf" stands for "e.l.f. Cosmetics"
        if f" {form} " in padded:
            return [w for w in padded.replace(f" {form} ", " ", 1).split() if w not in _POLITE]
    said = [w for w in norm.split() if w not in _POLITE]
    if len(said) == len(name.split()) and fuzz.ratio(" ".join(said), name) >= _SPELT_AS:
        return []  # the message is the name as typed, word for word ("neutrogina")
    return None


def _only_brand(norm: str, brand: str) -> bool:
    """The message is a brand's name and nothing else ("Sally Hansen", "korra please")."""
    rest = _brand_rest(norm, brand)
    return rest is not None and not rest


def _brand_and_line(message: str, norm: str, brand: str) -> bool:
    """A brand's name alone or with one or two words of its own (a product line, "range", "stuff"): no question,
    pointer or narrowing word, so it asks for that brand's products ("Dermaklar hydra range")."""
    rest = _brand_rest(norm, brand)
    if rest is None or len(rest) > 2 or "?" in message or _NOT_A_LINE.search(" ".join(rest)):
        return False
    return not any(w in FILLER or w.isdigit() for w in rest)


# the words of asking for a maker's products ("from OPI", "do you have Murad?", "anything by Olay"): the
# courtesies and function words of a request, no pointer at what is shown and no narrowing word
# ("anything by Olay" is a browse of that brand: a search, by the rules below)
_ASKING = FILLER - frozenset("it its this that these those them one ones same like compare than cheaper more less "
                             "under below over above least most best good nice new anything something item items "
                             "product products".split()) | {"by", "got", "carry"}


# a choice announced ("ok im going with the white ones", "i'll take that one"): nothing more to find
_CHOSEN = re.compile(r"\b(i'?m|im|i am) (going|gonna go|gonna get) with\b|"
                     r"\bi'?ll (take|go with|get|grab|order|buy) (the|that|this|those|these|it|them)\b|"
                     r"\b(i'?ve|i have|ive) (decided|chosen|settled) on\b|\bsold on (the|that|it)\b")
# a question about the shop's whole range: "what do you have from X", "what have you got by X"
_WHAT_YOU_HAVE = (r"\bwhat (do|does) (you|u|ya|yall|the (shop|store))( guys| all)? (have|got|carry|stock|sell)\b|"
                  r"\bwhat (have|has) (you|u|ya) got\b|\bwhat('?s| is) (there|available)\b")


def _brand_asked(norm: str, brand: str) -> bool:
    """The message is a brand's name with nothing but the words of asking for it ("from Trader Joe's")."""
    rest = _brand_rest(norm, brand)
    return rest is not None and bool(rest) and all(w in _ASKING for w in rest)


def _labelled(name: str) -> list[tuple[str, str]]:
    """(label, text) of each line ``label<TAB>text`` of this folder's file ``name`` (``#`` lines are comments)."""
    text = (Path(__file__).parent / name).read_text()
    return [(label.strip(), said.strip()) for label, _, said in
            (line.partition("\t") for line in text.splitlines() if line.strip() and not line.startswith("#"))]


def load_need_examples() -> list[tuple[str, str]]:
    """(leaf, need) pairs of ``need_examples.txt``: needs told in words of no catalog, and the leaf that answers."""
    return _labelled("need_examples.txt")


def load_examples() -> tuple[list[str], list[str]]:
    """(labels, messages) of the intent index's labelled examples (``intent_examples.txt``)."""
    pairs = _labelled("intent_examples.txt")
    return [label for label, _ in pairs], [said for _, said in pairs]


# how near (cosine) a need must be to a leaf's name for the leaf to be its kind (``RulePlanner._kind_by_meaning``)
_MEANING_NEAR = 0.45
# how near a need must be to a hand-written need example for that example's leaf to be its kind
_NEED_NEAR = 0.55
# how much nearer in meaning another leaf must be to overrule the leaf one word of a story found, and how many words
# make a story (``RulePlanner._nearer_by_meaning``; read on the development sets only, docs/tuning.md round fifteen)
_NEARER = 0.15
_STORY_WORDS = 5
# how near (cosine, of the thing said or the whole message) a thing no leaf names must be to a leaf for that
# leaf's family to be where to look (``RulePlanner._family_by_meaning``; read on the development sets only)
_FAMILY_NEAR = 0.3
# a branch whose name this share of its products' titles say is a kind of product ("Headphones"), not a family
_KIND_BRANCH_SHARE = 0.3
# words: a message this long about a brand none shown tells of the shopper's own product, not a narrowing
_TOLD_WORDS = 8
# the margin when a word of the story named the leaf ("paper dry": Blotting Paper); read on the development sets
# only (docs/tuning.md round sixteen: 0.15 +30 / -5 requests, 0.20 +24 / -1, 0.25 +14 / 0)
_NEARER_NAMED = 0.2


class IntentIndex:
    """Nearest labelled examples under MiniLM: a weighted vote of the k closest."""

    def __init__(self, k: int = 5, embedder: Any = None) -> None:
        if embedder is None:
            from core.config import get_settings
            from tools.search.embed import shared_embedder

            embedder = shared_embedder(get_settings().models_dir)
        self.embedder = embedder
        self.labels, self.texts = load_examples()
        self.matrix = embedder.encode(self.texts)
        self.k = k
        self._cache: dict[str, np.ndarray] = {}

    def vector(self, message: str) -> np.ndarray:
        """The message's MiniLM vector (cached: the vote and the kind by meaning share it)."""
        vec = self._cache.get(message)
        if vec is None:
            vec = self.embedder.query(message)
            if len(self._cache) < 4096:
                self._cache[message] = vec
        return vec

    def scores(self, message: str) -> tuple[dict[str, float], float]:
        """Vote per action and the model time in ms."""
        start = time.perf_counter()
        vec = self.vector(message)
        ms = (time.perf_counter() - start) * 1000
        sims = self.matrix @ vec
        top = np.argsort(-sims)[: self.k]
        votes: dict[str, float] = {}
        for i in top:
            votes[self.labels[i]] = votes.get(self.labels[i], 0.0) + float(max(sims[i], 0.0)) ** 2
        return votes, ms


class RulePlanner:
    """Intent from the intent index, then slot rules that correct it where the words are unambiguous."""

    name = "rules"

    def __init__(self, vocab: Vocabulary, index: IntentIndex | None = None) -> None:
        self.vocab = vocab
        self.index = index or IntentIndex()

    def plan(self, message: str, context: PlanContext) -> PlanResult:
        """The plan; its notes say which rule decided the action ("rule: NAME") or that the vote did."""
        alone = self._plan(message, context)
        asked = _question_asked(context.history)
        if asked is None:
            plan = self._carried(message, context, alone) or self._redirected(message, context, alone)
            return self._service_followed(message, context, self._pointed(message, context, plan))
        question = context.history[-1].get("content", "")
        if _PICK_OFFERED.search(question) and _YES.match(message) \
                and _names_nothing(parse_slots(message, self.vocab, len(context.shown))):
            # "sure, go ahead" after "Shall I suggest a few?": the pick offered
            action = NextAction(action="recommend", args=ActionArgs(), source="rules")
            return PlanResult(action=action, model_ms=alone.model_ms, notes=["rule: yes to a pick offered"])
        if alone.notes[0] in _SETTLED - {"rule: off topic"} or _DONE.match(message):
            return alone
        if _ORDER_ASKED.search(question) and _ORDER_CODE.search(message) \
                and not parse_bounds(message).mentions:  # "under 1500" is a budget, whatever was asked
            # "ZX-40213, it came on the 2nd" after "What is your order number?": the order asked after, no product
            action = NextAction(action="chat", args=ActionArgs(), source="rules")
            return PlanResult(action=action, model_ms=alone.model_ms, notes=["rule: the order asked after"])
        # "3 of us" after "i'm after a tent" / "How many people should it sleep?": the request asked about, now answered
        chosen = self._option_chosen(question, message)
        option = chosen[0] if chosen else None
        ordinal = None if chosen else _ordinal_option(question, message)
        if ordinal:  # "the last one" of the options listed, not of the products on screen
            option, message = ordinal
        if option and set(option.split()) & set(normalise(message.replace("-", " ")).split()):
            option = None  # "body, for the beach" after "for your face or body?": the answer says it already
        both = self._plan_before_exchange(", ".join(filter(None, (asked, option, message))), context)
        if not (both.action.action == "search" and both.action.args.category) and alone.action.action in (
                "search", "refine"):
            # "70 to 120" after three questions about a tent: the kind said answers ago
            talk = _talk_since_shown(context.history)
            if talk != asked:
                earlier = self._plan_before_exchange(", ".join(filter(None, (talk, option, message))), context)
                if earlier.action.action == "search" and earlier.action.args.category:
                    both = earlier
        if both.action.action == alone.action.action == "search" and alone.action.args.category \
                and not both.action.args.category:
            both.action.args.category = alone.action.args.category  # the kind the answer names, read alone
        said = parse_slots(message, self.vocab, len(context.shown))
        if both.action.action == "search" and said.brand and both.action.args.brand != said.brand:
            both.action.args.brand = said.brand  # "try <brand> then" after "<another brand> boots"
        narrower, joined = alone.action.args.category, both.action.args.category
        other_kind = self.vocab.find_category(chosen[1]) if chosen else None
        if other_kind and narrower == other_kind:
            narrower = None  # "in ear" read alone as over-ear headphones, after "over-ear or in-ear?": not that kind
        picked = self.vocab.find_category(option) if option else None
        if chosen and self.vocab.find_category(chosen[0]) is None \
                and other_kind in (joined, alone.action.args.category):
            picked = self._kind_by_meaning(chosen[0])  # the kind the option chosen means ("in ear": earbuds)
            picked = None if picked == other_kind else picked
        if alone.action.action == both.action.action == "search" and said.category and narrower == said.category \
                and joined and narrower != joined and narrower not in self.vocab.ancestors.get(joined, set()) \
                and (_INSTEAD.search(message) or CORRECTION.search(message)):
            both.action.args.category = narrower  # "a sleeping bag instead, then" after "a tent"
        if alone.action.action == both.action.action == "search" and narrower and joined \
                and joined in self.vocab.ancestors.get(narrower, set()):
            both.action.args.category = narrower  # "trail ones" after "boots" / "What for?": trail boots
        if picked and both.action.action == "search" and (picked in self.vocab.leaves or not narrower):
            both.action.args.category = picked  # "tunnel, it's windy" after "dome or tunnel tent?"
        if both.action.action == "search" and both.action.args.category:
            both.action.args.category = self._kind_under(both.action.args.category, asked, message)
        # "the grey pair" after "Which do you mean - the black or the grey?": the one chosen, as first asked of
        chosen = both.action.action in ("describe", "similar", "compare") and not (
            alone.action.args.item or alone.action.args.items)
        if both.action.action != "search" and both.notes[0] != "rule: service question" and not chosen:
            return alone  # "A77120" after "What is your order number?": the order asked after
        if alone.notes[0] == "rule: off topic" and not (both.action.args.category and re.search(r"\d", message)):
            # talk of the weather after a question is talk; "2 of us and a dog, for november" answers for the kind
            return alone
        both.notes = [f"rule: an answer to the question asked ({both.notes[0]})"]
        return both

    def _kind_under(self, joined: str, asked: str, answer: str) -> str:
        """The kind an answer and the request it answers name together, when ``joined`` (what they name read as one)
        is a branch above it: a part of the answer naming a kind under it ("sandpaper ones, a fine grit block" after
        "tools, polish or care?": the block's leaf) or beside it, else the kind first asked for under the branch the
        answer names ("legs" after "a lotion" / "for your face or legs?": that lotion's leaf under legs); ``joined``
        otherwise."""
        for part in re.split(r"[,.;!?]", answer):
            kind = self.vocab.find_category(normalise(part))
            if kind and kind != joined and joined in self.vocab.ancestors.get(kind, set()):
                return kind
        beside = self._leaf_beside(joined, answer)
        if beside:
            return beside  # "a full set" after "brushes" / "a set or a single brush?": the brush sets beside them
        first = parse_slots(asked, self.vocab).category
        if first and first != joined and joined in self.vocab.ancestors.get(first, set()):
            return first
        # the head word of the kind asked ("Creams & Moisturizers": "moisturizer"), or the request's words
        heads = {singular(normalise(first).split()[-1])} if first else {singular(w) for w in normalise(asked).split()}
        under = [leaf for leaf, above in self.vocab.ancestors.items()
                 if joined in above and singular(normalise(leaf).split()[-1]) in heads]
        return under[0] if len(under) == 1 else joined

    def _leaf_beside(self, leaf: str, answer: str) -> str | None:
        """The one leaf filed beside ``leaf`` (under the same parent) whose name's head noun the answer says, and
        ``leaf``'s name does not ("set" of "Sets & Kits" beside "Brushes & Applicators"; not "ear" of "Over-Ear
        Headphones", a thing had "with a diffuser" or ruled out, "not a backpack")."""
        said = {singular(w) for w in _NOT_ASKED.sub(" ", normalise(answer)).split()} - FILLER
        if said & name_heads(leaf):
            return None  # "conditioner, for dry hair": the kind asked for, said again
        parents = self.vocab.parents_of(leaf)
        beside = {other for other in self.vocab.leaf_paths if other != leaf and name_heads(other) & said
                  and parents & self.vocab.parents_of(other)}
        return beside.pop() if len(beside) == 1 else None

    def _pointed(self, message: str, context: PlanContext, plan: PlanResult) -> PlanResult:
        """A request of shown products that points at none, after a reply about some of them: those the reply was
        about ("any more in that spirit" after "the Ridge boot (2) has the stiffer sole"; "which of the pair is warmer"
        after a reply about two; a bare question after a reply about one: a question about that one)."""
        if not context.shown or plan.notes[0] in _SETTLED or cues.is_service_question(message) \
                or _PAGING.match(re.split(r"[?.!]", message, maxsplit=1)[0]):
            return plan  # "other choices? these won't do": the list's next products, not those talked of
        talked = reply_positions(context.history, context.shown)
        if not talked:
            return plan
        act, args, norm = plan.action.action, plan.action.args, normalise(message)
        update: dict[str, Any] = {}
        if act in ("similar", "describe") and args.item is None and len(talked) == 1:
            update = {"item": talked[0]}
        elif act in ("similar", "describe") and args.item is None and len(talked) >= 2 \
                and re.search(r"\b(it|that|that one|this one)\b", norm) and len(context.history) >= 2 \
                and re.search(r"\bwhich\b", normalise(context.history[-2].get("content", ""))):
            # "similar ones to that one" after "which is lighter?" / "The X is lighter than the Y": the one the answer
            update = {"item": talked[0]}  # named first, the answer to "which"
        elif act == "describe" and args.item is not None and re.search(_BETTER_THAN, norm) \
                and len(set(talked) - {args.item}) == 1:  # "kinder than the toner?" after a reply about a balm
            act, update = "compare", {"items": sorted({*talked, args.item}), "item": None}
        elif act == "compare" and len(talked) == 2 and (
                not args.items or len(args.items) == 1 and args.items[0] not in talked
                or len(args.items) == len(context.shown) and re.search(r"\b(two|both|2)\b", norm)):
            update = {"items": sorted({*talked, *(args.items if args.items and len(args.items) == 1 else [])})}
        elif act == "compare" and args.items and len(args.items) == 1 and len(talked) == 1 \
                and talked[0] != args.items[0]:  # "and against the camp one?" after a reply about a boot
            update = {"items": sorted({*talked, *args.items})}
        elif act in ("search", "refine", "chat") and len(talked) == 1 and not any(
                v not in (None, False) for k, v in args.model_dump().items() if k != "query") \
                and ("?" in message or _QUESTION_WORDS.search(norm)) and not cues.is_greeting(message):
            act, update = "describe", {"item": talked[0]}  # "how many washes does that take" after a balm's reply
        if not update:
            return plan
        action = NextAction(action=act, args=ActionArgs(**update), source="rules")
        return PlanResult(action=validate_plan(action, self.vocab, len(context.shown)), model_ms=plan.model_ms,
                          notes=[f"rule: the products the last reply was about ({plan.notes[0]})"])

    def _option_chosen(self, question: str, answer: str) -> tuple[str, str] | None:
        """(the option picked, the other) of the assistant's question ("A dome tent or a tunnel tent?"): by the
        answer's words, else by meaning when MiniLM puts the answer far nearer one option ("the kind that sits in
        your ear canal" after "headphones or earbuds?"); None otherwise."""
        options = _options(question)
        if options is None:
            return None
        index = _option_said(options, answer)
        m = _OPTIONS.search(question)
        pair = m is not None and not question[:m.start()].rstrip().endswith(",")  # not "A, B or C?": one of many
        if index is None and pair and getattr(self.index, "embedder", None) is not None:
            near = [float(self.index.vector(answer) @ self.index.vector(o)) for o in options]
            index = int(np.argmax(near)) if abs(near[0] - near[1]) >= _OPTION_MARGIN else None
        return None if index is None else (options[index], options[1 - index])

    def _plan_before_exchange(self, text: str, context: PlanContext) -> PlanResult:
        """``text`` planned as if said before the last exchange (the history without its last two turns)."""
        return self._plan(text, context.model_copy(update={"history": context.history[:-2]}))

    def _of_kind(self, category: str, shown: Sequence[ShownProduct]) -> list[int]:
        """The positions of the shown products of ``category``: filed under it, or called by its head noun in their
        titles ("any more palettes like that little one": a palette filed under concealers)."""
        heads = name_heads(category)
        return [p.position for p in shown
                if category in {self.vocab.leaf_of(p.id), *self.vocab.ancestors.get(self.vocab.leaf_of(p.id) or "", ())}
                or heads & {singular(w) for w in normalise(p.title).split()}]

    def _focus(self, context: PlanContext) -> int | None:
        """The one shown product the last exchange was about, as the shopper's last request picked it ("does the balm
        suit dry lips?" / "It is a rich shea balm"); None when it picked none or several."""
        if len(context.history) < 2 or context.history[-2].get("role") != "user":
            return None
        before = self._plan_before_exchange(context.history[-2].get("content", ""), context)
        item = before.action.args.item
        return item if before.action.action in ("describe", "similar") and item else None

    @staticmethod
    def _service_followed(message: str, context: PlanContext, plan: PlanResult) -> PlanResult:
        """A bare question after an exchange about the shop's service asks more of that service ("what does that
        cost?" after a reply about gift wrapping): chat, when it names no product, brand, position or bound."""
        last = _last_exchange(context.history)
        args, norm = plan.action.args, normalise(message)
        if last is None or plan.notes[0] in _SETTLED or plan.action.action in ("chat", "recommend") \
                or not cues.is_service_question(last[0]) \
                or not ("?" in message or _QUESTION_WORDS.search(norm)) \
                or any(v not in (None, False) for k, v in args.model_dump().items() if k != "query") \
                or not re.search(r"\b(it|that|this|they|those|them)\b", norm):
            return plan
        action = NextAction(action="chat", args=ActionArgs(), source="rules")
        return PlanResult(action=action, model_ms=plan.model_ms, notes=["rule: the service talked about"])

    def _carried(self, message: str, context: PlanContext, alone: PlanResult) -> PlanResult | None:
        """What the last exchange lends a message that leans on it: the last search with "same budget" / "same thing"
        kept ("actually hiking boots, same budget" after "a tent under 150"); its figure corrected ("sorry I meant 110
        not 90" after "hiking boots under 90": that bound, 110); "only them" filtered by the brand it named.
        None when the message leans on nothing."""
        last = _last_exchange(context.history)
        if last is None or alone.notes[0] in _SETTLED or cues.is_service_question(message):
            return None
        shown_search = _last_search(context.history)
        if shown_search and _SAME.search(message):
            before = self._plan_before_exchange(shown_search, context).action.args
            if alone.action.action == "search" and alone.action.args.category:  # a new kind: the last bounds kept
                kept = {k: getattr(before, k) for k in ("min_price", "max_price")
                        if getattr(alone.action.args, k) is None}
                alone.action.args = alone.action.args.model_copy(update=kept)
                alone.notes = [f"rule: the last search kept ({alone.notes[0]})"]
                return alone
            swapped = alone.action.args.brand and before.brand and alone.action.args.brand != before.brand
            both = self._plan_before_exchange(f"{shown_search}, {message}", context) if swapped else None
            # "make it alpa, same thing" after Camp's tents: none shown is Alpa's, so the last kind, that brand
            if both is not None and both.action.action == "search" \
                    and both.action.args.brand == alone.action.args.brand:
                both.action.args.query = before.query
                both.notes = [f"rule: the last search kept ({both.notes[0]})"]
                return both
        fix = _FIGURE_FIX.search(message)
        if shown_search and fix:
            fixed = self._figure_fixed(fix, context)
            if fixed is not None:
                return fixed
        if _THEY_MAKE.search(message) and alone.action.action == "search" and not alone.action.args.brand:
            brand = self._brand_named(last)
            if brand:  # "do they make gloves too?" after "<brand> boots": that maker's gloves
                alone.action.args = alone.action.args.model_copy(update={"brand": brand})
                alone.notes = [f"rule: the maker the last exchange named ({alone.notes[0]})"]
                return alone
        if _PRONOUN_FILTER.search(message) and alone.action.action == "refine" and not alone.action.args.brand:
            brand = self._brand_named(last)
            if brand:
                return self._refine(alone.action.args.model_copy(update={"brand": brand}), context, alone.model_ms,
                                    "the brand the last exchange named")
        args = alone.action.args
        bounded = args.min_price is not None or args.max_price is not None
        if shown_search and alone.action.action == "search" and bounded and args.category and not args.brand \
                and self._plan_before_exchange(shown_search, context).action.args.category == args.category:
            # "nothing over 80 for a tent" after tents were shown: a bound on the kind on screen
            return self._refine(ActionArgs(min_price=args.min_price, max_price=args.max_price), context,
                                alone.model_ms, f"a bound on the kind just shown ({alone.notes[0]})")
        if alone.action.action == "search" and args.brand and not args.category and context.shown \
                and (shown_search or reply_positions(context.history, context.shown)) \
                and not re.search(_WHAT_YOU_HAVE, normalise(message)) and not cues.for_a_person(message):
            # "what does <brand> have", "oops, <brand> I mean" after a reply about products on screen: those narrowed
            # (but "<brand> for my brother": that brand's products for him)
            return self._refine(ActionArgs(brand=args.brand, min_price=args.min_price, max_price=args.max_price),
                                context, alone.model_ms, f"a brand of what was just shown ({alone.notes[0]})")
        return None

    def _brand_named(self, last: tuple[str, str]) -> str | None:
        """The brand the last exchange named: in the shopper's request, else in the assistant's reply."""
        return parse_slots(last[0], self.vocab).brand or parse_slots(last[1], self.vocab).brand

    def _refine(self, args: ActionArgs, context: PlanContext, ms: float, rule: str) -> PlanResult:
        """A refine by ``args``, checked against the catalog and what is shown, that the rule ``rule`` decided."""
        action = NextAction(action="refine", args=args, source="rules")
        return PlanResult(action=validate_plan(action, self.vocab, len(context.shown)), model_ms=ms,
                          notes=[f"rule: {rule}"])

    def _figure_fixed(self, fix: re.Match[str], context: PlanContext) -> PlanResult | None:
        """The price bounds of the shopper's last request that said a figure, with the figure ``fix`` names in place
        of the one it replaces (the figure after "not", else that request's only figure), as a refine: only the price
        changed ("a tent under 100" / "same budget, boots then" / "I meant 150 not 100": boots up to 150)."""
        new, old = fix.group(1), fix.group(2)
        for turn in reversed(context.history):
            figures = re.findall(r"\d[\d,.]*k?\b", turn.get("content", "")) if turn.get("role") == "user" else []
            if figures:
                request = turn.get("content", "")
                break
        else:
            return None
        if old is None and len(figures) == 1:
            old = figures[0]
        if old is None or old not in figures:
            return None
        alone = context.model_copy(update={"history": []})
        before = self._plan(request, alone)
        after = self._plan(re.sub(rf"(?<![\d.,]){re.escape(old)}\b", new, request, count=1), alone)
        bounds = {k: getattr(after.action.args, k) for k in ("min_price", "max_price")}
        if not any(v is not None for v in bounds.values()) or bounds == {
                k: getattr(before.action.args, k) for k in bounds}:
            return None
        return self._refine(ActionArgs(**bounds), context, after.model_ms, "a figure of the last search corrected")

    def _redirected(self, message: str, context: PlanContext, alone: PlanResult) -> PlanResult:
        """A message that turns the last search elsewhere without naming a kind ("what about for my dad", "hang on,
        it has to fit five of us" after "a tent for two"): that search again, with the new words; ``alone``
        otherwise."""
        last = _last_search(context.history)
        if last is None or alone.notes[0] in _SETTLED or not _REDIRECT.search(message) \
                or cues.is_service_question(message):
            return alone
        slots = parse_slots(message, self.vocab, len(context.shown))
        # a kind only a word of some titles suggests ("it has to fit five": "Sport Fit" earbuds) is no kind named
        if slots.brand or slots.category or slots.positions or slots.all_shown \
                or slots.min_price is not None or slots.max_price is not None or slots.cheaper:
            return alone  # "actually cap it at 90", "what about the second one": said of what is shown
        both = self._plan_before_exchange(f"{last}, {message}", context)
        if both.action.action != "search" or not both.action.args.category:
            return alone
        both.notes = [f"rule: the last search turned elsewhere ({both.notes[0]})"]
        return both

    def _plan(self, message: str, context: PlanContext) -> PlanResult:
        n_shown = len(context.shown)
        asked = cues.product_part(message) if cues.is_service_question(message) else None
        if asked:  # "a sun hat please, also how long is delivery": the product asked for is planned, the question
            joined = self.plan(asked, context)  # is answered beside the results
            if joined.action.action in ("search", "refine", "recommend"):
                joined.notes = [f"{cues.BESIDE} ({joined.notes[0]})"]
                return joined
        slots = parse_slots(message, self.vocab, n_shown)
        if n_shown:  # "yellow #5" with four shown names no position
            slots.positions = [p for p in slots.positions if p <= n_shown]
        maker_asked = bool(n_shown and slots.category and not slots.brand and _THEIR_MAKER.search(normalise(message)))
        if maker_asked:
            # "does that brand make a hand cream as well?" after a reply about one shown product: that maker's kind
            talked = reply_positions(context.history, context.shown)
            makers = [p.brand for p in context.shown if p.position in talked and p.brand]
            if len(talked) == 1 and makers:
                slots.brand = makers[0]
        described = described_positions(message, context.shown) if n_shown else []
        if n_shown and not described:  # "the cheaper of the two perfumes": that one of them
            described = priced_pick(message, context.shown, self.vocab.kind_leaves, self.vocab.leaf_of)
        if n_shown and not described:  # "the cheaper one" of the two just compared, "the other tint"
            described = history_pick(message, context.history, context.shown, self.vocab.kind_leaves,
                                     self.vocab.leaf_of)
            slots.referred = bool(described)
        if described:  # "the $24 one", "the cheapest one", "the one on the left": shown products, no price filter
            slots.positions, slots.all_shown, slots.cheaper = described, False, False
            slots.min_price = slots.max_price = None
        paired = comparative_positions(message, context.shown, self.vocab.kind_leaves, self.vocab.leaf_of) \
            if n_shown and not described else []
        if paired:  # "the cheaper jacket or the pricier one": the two shown of that kind, set side by side
            slots.positions, slots.all_shown, slots.cheaper = paired, False, False
        # "cheaper than the <name>", "like the <name> but cheaper": a shown product named beside the price wish
        measured = not slots.cheaper or re.search(r"\b(than|like|as) (the|that|this)\b", normalise(message))
        # a price bound beside words of a shown title asks for that kind at that price ("wireless over-ear
        # ones, up to 2.5k"): the prices shown need no asking
        bounded = slots.min_price is not None or slots.max_price is not None
        if n_shown and not slots.positions and measured and not bounded \
                and not _filter_cued(normalise(message)) and not cues.is_service_question(message):
            said_kind = self.vocab.path_words.get(slots.category, frozenset()) if slots.category else frozenset()
            named, definite = name_positions(message, context.shown,
                                             self._kinds(), said_kind)
            # "i adore the midnight, anything in that style?": one shown named by a word of its own, likeness asked
            asked_like = _likeness_asked(normalise(message))
            slots.like_shown = self._like_shown(asked_like)
            liked = len(named) == 1 and (re.search(_LIKENESS, asked_like) or slots.like_shown)
            if not slots.all_shown and (len(named) >= 2 or definite or liked):
                slots.positions = named  # "the aurora earbuds", "summit or trailblazer": shown by name
                if self._other_brand(message, slots.brand, [p for p in context.shown if p.position in named]):
                    slots.positions = []  # "over-ear ones from <another brand>": that brand's, none of those shown
            elif slots.all_shown and definite and len(named) < n_shown and re.search(
                    r"\b(these|those)\b", normalise(message)) and not re.search(_ALL_WORDS, normalise(message)):
                slots.positions, slots.all_shown = named, False  # "those grey boots": the ones named, not all
        if n_shown and not (slots.positions or slots.all_shown) and re.search(r"\bwhich\b", normalise(message)) \
                and re.search(r"\bor\b", normalise(message)):
            # "lipstick or perfume for my aunt, which would she use more": the kinds said are the shown ones, asked
            # which, not kinds to search
            named, _ = name_positions(message, context.shown, self._kinds())
            leaves = {self.vocab.leaf_of(p.id) or p.title for p in context.shown if p.position in named}
            slots.positions = named if len(named) >= 2 and len(leaves) >= 2 else []
        if n_shown and not slots.positions:  # "the two fragrances": the shown products of that kind
            slots.positions = kind_positions(message, context.shown, self.vocab.kind_leaves, self.vocab.leaf_of)
        if n_shown and not (slots.positions or slots.all_shown) and re.search(_COMPARE, normalise(message)):
            # "the trail lite vs the trail lite": the shown products whose titles share the name said
            slots.positions = shared_name_positions(message, context.shown, self._kinds())
        # the shown products the last reply marks by their place ("the Acme (#1) or the Brio (#3)")
        marked = marked_positions(last[1], n_shown) if n_shown and (last := _last_exchange(context.history)) else []
        if n_shown and not (slots.positions or slots.all_shown or slots.category or slots.brand) \
                and (re.search(_COMPARE, normalise(message)) or cues.asks_which_of_shown(message, comparative=True)) \
                and re.search(r"\bwhich\b", normalise(message)):
            # "so which lasts longer" after a reply about two of them: those two, set side by side (those it marks
            # first)
            talked = marked or talked_about(context.history, context.shown)
            slots.positions = talked if 2 <= len(talked) < n_shown else []
        if n_shown and not (slots.positions or slots.all_shown or slots.category or slots.brand or slots.cheaper) \
                and not cues.is_service_question(message):
            # "is it vegan?" after a reply about one shown product: that product ("it's too much, cheaper ones?"
            # asks for the list)
            referred = history_position(message, context.history, context.shown)
            if referred is None and _POINTS_BACK.search(normalise(message)):
                referred = self._focus(context)  # "more of those" after "does the balm suit dry lips?"
                if referred is None and len(marked) == 1:
                    referred = marked[0]  # "alternatives?" after "the balm (#2) ..."
            if referred is not None:
                slots.positions, slots.referred = [referred], True
        elif n_shown and len(slots.positions) == 1 and re.search(_COMPARE, normalise(message)) \
                and re.search(r"\b(it|this|that)\b", normalise(message)):
            # "how does it measure against the dior" after a talk about the chanel: the one talked about, the one named
            focus = self._focus(context)
            if focus is not None and focus not in slots.positions:
                slots.positions = [focus, *slots.positions]
        if n_shown and not (slots.positions or slots.all_shown or slots.brand) and slots.category \
                and _LIKE_POINTED.search(_likeness_asked(normalise(message))):
            # "more tints like that one": the one shown product of the kind named is the one pointed at
            of_kind = self._of_kind(slots.category, context.shown)
            if len(of_kind) == 1:
                slots.positions, slots.referred = of_kind, True
        if n_shown and not (slots.positions or slots.all_shown or maker_asked) and slots.brand \
                and not cues.is_service_question(message):
            # "harmonix headphones battery life?", "prada candy how long does it last": a question about the one
            # shown product of the brand named, not a search for that brand (when would it arrive: the shop's service)
            asked = self._asked_of_brand(message, slots, context)
            if asked is not None:
                slots.positions, slots.referred, slots.brand, slots.category = [asked], True, None, None
        slots.unshown_brand = bool(n_shown) and _brand_none_shown(slots, context)
        if cues.asks_if_stocked(message) and not slots.all_shown and (slots.brand or slots.category or slots.query):
            slots.positions, slots.elsewhere = [], True  # a shown brand's name said of a product met elsewhere
        if n_shown and slots.category and not slots.positions:
            unshown = not self._of_kind(slots.category, context.shown)
            slots.unshown_kind = unshown and not slots.all_shown
            if unshown and slots.story_kind:  # "the printer at work is so loud": a thing of the story, none shown
                slots.category = slots.title_category = None
            said = {singular(w) for w in normalise(slots.category).split()} | set(
                self.vocab.path_words.get(slots.category, frozenset()))
            # "the shoes are over my budget": the kind of the shown products, pointed at by "the"/"these"/"those"
            # (never "the" after a preposition: "over the ear", "in the shower" name a kind or a use, not what is shown)
            pointed = re.findall(r"(?<!\bover )(?<!\bin )(?<!\bon )(?<!\bfor )(?<!\bat )(?<!\bto )(?<!\bof )"
                                 r"\b(?:the|these|those) (\w+)(?: (\w+))?", normalise(message))
            slots.shown_kind = not unshown and any(
                singular(w) in said for pair in pointed for w in pair if w)
        if n_shown and slots.positions and slots.category and cues.asks_companion(message):
            self._companion(message, slots, context)
        if slots.positions and slots.referred is False and _comes_in().search(normalise(message)) \
                and re.search(r"\b(these|those|them|they)\b", normalise(message)) \
                and not re.search(r"\d|\b(first|second|third|fourth|last)\b", normalise(message)):
            slots.positions = []  # "have them in navy?": a colour asked of them all, not the one whose title says it
        votes, ms = self.index.scores(message)
        voted = max(votes, key=votes.get) if votes else "chat"
        intent, rule = self.decide(voted, message, slots, n_shown, votes)
        if intent == "refine" and rule in ("filter only", "filter of what is shown") and not (
                slots.brand or slots.positions or slots.all_shown or slots.cheaper):
            need = self._kind_by_meaning(message)  # "i've got $12 and my forehead keeps breaking out": a need, a budget
            if need is not None:
                intent, rule, slots.title_category = "search", "a need and a budget", need
        if rule is None and intent in ("recommend", "refine") and not (
                slots.brand or slots.positions or slots.all_shown or slots.cheaper or slots.user_id
                or slots.min_price is not None or slots.max_price is not None) \
                and not (cues.wants_personal_pick(message) or cues.asks_popular(message)
                         or re.search(f"{_REFINE_CUE}|{_OWN_HABITS}", normalise(message))):
            need = self._kind_by_meaning(message)  # "a fortnight in the sun soon and my skin goes red": a need told,
            if need is not None:  # no pick from the shopper's history and nothing on screen to narrow
                intent, rule, slots.title_category = "search", "a need told", need
        if intent == "refine" and _brand_none_shown(slots, context) and len(message.split()) >= _TOLD_WORDS \
                and not _filter_cued(normalise(message)) and not re.search(_THE_SHOWN_ONES, normalise(message)):
            # "my <brand> boots wore out after years of trails, the same again": a story around a brand none shown
            # carries, with no list before it and no word of narrowing: that brand's products, not a narrowing
            intent, rule = "search", "a brand none shown"
        if intent == "search" and not (slots.category or slots.title_category or slots.brand):
            slots.title_category = self._kind_by_meaning(message)  # "my hands crack from gardening"
            if slots.title_category is None and rule != "a gift" and not cues.is_gift(message):
                slots.title_category = self._family_by_meaning(message)  # "a toaster": Small Appliances
        elif intent == "search" and slots.title_category and not (slots.category or slots.brand) \
                and len(message.split()) >= _STORY_WORDS:
            # "white flakes all over my dark shirts": one word of a story is no kind; a leaf far nearer in meaning is
            slots.title_category = self._nearer_by_meaning(message, slots.title_category)
        elif intent == "search" and (slots.category in self.vocab.leaves or slots.category in self.vocab.branches
                                     and set(normalise(slots.category).split()) - {"and"} <= cues.BODY_PARTS) \
                and not slots.brand and len(message.split()) >= _STORY_WORDS:
            # "my cuticles keep tearing and the skin is paper dry": a leaf one word of a story names ("paper":
            # Blotting Paper) yields to a leaf far nearer in meaning, by a wider margin than a leaf the titles suggest;
            # a part of the body a story names as a branch ("my face stings after the beach": Face) to any leaf near
            # enough in meaning
            slots.category = self._nearer_by_meaning(message, slots.category, _NEARER_NAMED)
        if intent == "search" and slots.category:  # "a fragrance for my wife": Fragrance > Women's
            slots.category = self.vocab.gendered(slots.category, normalise(message))
        elif intent == "search" and slots.title_category:
            slots.title_category = self.vocab.gendered(slots.title_category, normalise(message))
        if rule == "a gift" and not (slots.category or slots.title_category or slots.brand):
            slots.query = cues.gift_words(slots.query or "")  # a present with no kind said: no occasion words
        action = NextAction(action=intent, args=self._args(intent, slots, n_shown), source="rules")
        note = f"rule: {rule}" if rule else f"vote: {voted}"
        return PlanResult(action=validate_plan(action, self.vocab, n_shown), model_ms=ms, notes=[note])

    def _kind_by_meaning(self, message: str) -> str | None:
        """The leaf whose name and branch ("Hand Creams & Lotions Hands & Nails Skin Care") MiniLM puts nearest a
        need told without the shop's words ("my hands crack from gardening"), or the leaf of the hand-written need
        example nearest it (``need_examples.txt``), whichever is nearer, when near enough; None otherwise, or when the
        intent index has no embedder. Both distances were read on the development request sets only (docs/tuning.md,
        rounds thirteen and fourteen)."""
        table = self._meaning_sims(message)
        if table is None:
            return None
        leaves, sims, near = table
        sims = np.where(sims >= near, sims, -np.inf)  # each row counts only when near enough for its kind of text
        best = int(np.argmax(sims))
        return leaves[best] if np.isfinite(sims[best]) else None

    def _family_by_meaning(self, message: str) -> str | None:
        """The family of the leaf MiniLM puts nearest a thing no leaf or title names ("a toaster": Small Appliances,
        the family of the coffee makers and blenders; "a radio": Electronics, above the headphones, a
        kind of product of their own), read from the thing said (the words before "for", "so", a comma...) or the
        whole message, whichever is nearer; None when no leaf is near enough (``_FAMILY_NEAR``)."""
        message = parse_bounds(message).rest  # "kettle below 35": the thing, not its budget
        table = self._meaning_sims(message)
        if table is None:
            return None
        names, whole, _ = table
        thing = re.split(r"\b(?:for|so|when|because|since|as|to|and)\b|[,.;!?]", message.lower(), maxsplit=1)[0]
        # a word the titles never use that may name a thing (not "mostly", "packed", "boiling"; but "sleeping" bag)
        said_words = normalise(thing).split()
        if not any(len(w) >= 4 and w not in FILLER and not w.endswith(("ly", "ed"))
                   and not (w.endswith("ing") and i == len(said_words) - 1)
                   and self.vocab.unnamed_by_titles(w) for i, w in enumerate(said_words)):
            return None  # the thing said is a word of the shop's titles, or no thing at all: no family to guess
        said = self._meaning_sims(thing)[1] if thing.strip() != message.lower().strip() else whole
        n = len(self.vocab.leaf_paths)  # the rows of the leaves' names (the needs' rows follow)
        sims = np.maximum(whole[:n], said[:n])
        best = int(np.argmax(sims))
        if sims[best] < _FAMILY_NEAR:
            return None
        path = min(self.vocab.leaf_paths[names[best]])
        roots = {p[0] for paths in self.vocab.leaf_paths.values() for p in paths}
        for branch in reversed(path[:-1]):
            if branch == path[0] and len(roots) == 1:
                return None  # the whole shop ("Beauty") is no family
            if not self._kind_branch(branch) or branch == path[0]:
                return branch
        return None

    def _kind_branch(self, branch: str) -> bool:
        """Whether the titles under ``branch`` mostly say its name's head word ("headphones"): a kind of product."""
        titles = self.vocab.title_leaves
        if titles is None:
            return False
        counts = titles.counts.get(stem(singular(normalise(branch).split()[-1])), {})
        under = [leaf for leaf in self.vocab.leaf_paths if branch in self.vocab.ancestors.get(leaf, set())]
        held = sum(self.vocab.leaf_counts.get(leaf, 0) for leaf in under)
        return bool(held) and sum(counts.get(leaf, 0) for leaf in under) >= _KIND_BRANCH_SHARE * held

    def _nearer_by_meaning(self, message: str, leaf: str, margin: float = _NEARER) -> str:
        """The leaf MiniLM puts nearest the message when it is near enough (``_MEANING_NEAR``) and nearer than ``leaf``
        by ``margin``; ``leaf`` otherwise. A leaf's nearness is the mean cosine of its two nearest rows (its name and
        the needs written for it): one lucky row does not decide."""
        table = self._meaning_sims(message)
        if table is None:
            return leaf
        leaves, sims, _ = table
        rows: dict[str, list[float]] = {}
        for name, sim in zip(leaves, sims):
            rows.setdefault(name, []).append(float(sim))
        nearness = {name: float(np.mean(sorted(v, reverse=True)[:2])) for name, v in rows.items()}
        best = max(nearness, key=nearness.get)
        if nearness[best] >= _MEANING_NEAR and nearness[best] - nearness.get(leaf, 0.0) >= margin:
            return best
        return leaf

    def _meaning_sims(self, message: str) -> tuple[list[str], np.ndarray, np.ndarray] | None:
        """(leaf, cosine to the message, how near it must be) of each row of ``_meaning_table`` (built once); None
        when the intent index has no embedder or the catalog no leaves."""
        embedder = getattr(self.index, "embedder", None)
        if embedder is None or not self.vocab.leaf_paths:
            return None
        table = self.__dict__.get("_meaning_table")
        if table is None:
            table = self.__dict__["_meaning_table"] = self._meaning_table(embedder)
        leaves, matrix, near = table
        return leaves, matrix @ self.index.vector(message), near

    def _meaning_table(self, embedder: Any) -> tuple[list[str], np.ndarray, np.ndarray]:
        """(leaf, vector, how near a need must be) of each leaf's name and branch (``_MEANING_NEAR``) and of each
        hand-written need whose leaf this catalog has (``_NEED_NEAR``), the needs written per leaf included."""
        names = sorted(self.vocab.leaf_paths)
        segments = {seg for paths in self.vocab.leaf_paths.values() for path in paths for seg in path}
        needs = [(leaf, need) for leaf, need in load_need_examples() if leaf in segments]
        texts = [" ".join(reversed(min(self.vocab.leaf_paths[leaf])[1:])) or leaf for leaf in names]
        near = [_MEANING_NEAR] * len(names) + [_NEED_NEAR] * len(needs)
        return (names + [leaf for leaf, _ in needs], embedder.encode(texts + [need for _, need in needs]),
                np.array(near))

    def _asked_of_brand(self, message: str, slots: Slots, context: PlanContext) -> int | None:
        """The position of the one shown product of the brand named when the message asks a question of it (a question
        mark or question words) and asks for nothing else: no price, no other products, no kind it is not."""
        of_brand = [p for p in context.shown if p.brand == slots.brand]
        norm = normalise(message)
        said = set(normalise(f"{slots.brand} {slots.category or ''}").split()) | self.vocab.path_words.get(
            slots.category or "", frozenset())
        kinds = self._kinds()
        beyond = [w for w in (slots.query or "").split() if not {w, singular(w)} & (said | kinds)
                  and self.vocab.find_category(w) is None and not self.vocab.kind_leaves(singular(w))]
        if len(of_brand) != 1 or slots.min_price is not None or slots.max_price is not None or slots.cheaper \
                or not (_QUESTION_WORDS.search(norm) or "?" in message and beyond) or _OTHERS.search(norm) \
                or re.search(rf"\b(narrow|filter|limit|restrict|stick|stay|keep|only|just|show)\b(\s+\w+){{0,3}}\s+"
                             rf"{re.escape(normalise(slots.brand or ''))}\b", norm):  # "can you narrow it to korra"
            return None  # "prada perfume?" asks for that brand's perfumes; "prada perfume, how long does it last"
        leaf = self.vocab.leaf_of(of_brand[0].id)
        if slots.category and leaf and slots.category != leaf \
                and slots.category not in self.vocab.ancestors.get(leaf, set()):
            return None  # "does harmonix make earbuds?": another kind of theirs
        return of_brand[0].position

    def _like_shown(self, norm: str) -> bool:
        """Whether a bare "like" names what follows as the model: opening the message ("like <name> but cheaper") or
        after a kind in the plural or "ones" ("perfumes like <name>"; not "allergens like ...", "nails like in a
        salon"), or after any plural that "other" or "more" opens ("more hues like <name>")."""
        m = _LIKE_SHOWN.search(norm)
        what = m.group("what") if m else None
        return bool(m) and (what is None or what in ("ones", "others", "something", "anything")
                            or what != singular(what) and m.group("other")  # "more hues like <name>"
                            or what != singular(what) and (singular(what) in self._kinds()
                                                           or self.vocab.find_category(what) is not None
                                                           or self.vocab.kind_by_titles(what, set()) is not None))

    def _kinds(self) -> set[str]:
        """The words of kinds of product, each also in the singular ("gel" of "Creams, Gels & Lotions"): a title word
        among them names a kind; a three-letter one is still a word of the title ("the gel")."""
        kinds = self.__dict__.get("_kind_set")
        if kinds is None:
            kinds = self.vocab.every_kind_word
            kinds = self.__dict__["_kind_set"] = kinds | {singular(w) for w in kinds}
        return kinds
    @staticmethod
    def _other_brand(message: str, brand: str | None, named: list[Any]) -> bool:
        """Whether the message says a brand's whole name that none of the shown products its words named is (by
        brand or title): products of that brand are asked for, not those shown."""
        said = f" {normalise(brand)} " if brand else ""
        return bool(said) and said in f" {normalise(message)} " and not any(
            p.brand == brand or said in f" {normalise(p.title)} " for p in named)

    def _companion(self, message: str, slots: Slots, context: PlanContext) -> None:
        """Another kind named beside the shown products pointed at ("a case to go with the blue one"): no pointer,
        a search for that kind, by their brand when the message asks for the same maker."""
        pointed = [p for p in context.shown if p.position in slots.positions]
        kinds: set[str] = set()
        for p in pointed:
            leaf = self.vocab.leaf_of(p.id)
            if leaf:
                kinds |= {leaf} | self.vocab.ancestors.get(leaf, set())
        if slots.category in kinds:  # "the boots look great, any socks to go with them": the other kind named
            said = {singular(w) for w in normalise(slots.category).split()}
            rest = " ".join(w for w in normalise(message).split() if singular(w) not in said)
            other = self.vocab.find_category(rest)
            if other is None or other in kinds:
                return
            slots.category = other
        if not kinds:
            return
        if any(slots.category in self.vocab.ancestors.get(k, set()) for k in kinds):
            return  # a wider kind of the one pointed at: still that product
        slots.category = self._kind_beside(slots.category, kinds)
        brands = {p.brand for p in pointed if p.brand}
        if not slots.brand and cues.same_maker(message) and len(brands) == 1:
            slots.brand = brands.pop()
        slots.positions, slots.all_shown, slots.companion = [], False, True

    def _kind_beside(self, category: str, kinds: set[str]) -> str:
        """The leaf of ``category``'s name nearest in the catalog's tree to the pointed products' ``kinds`` ("brushes"
        beside a make-up palette are make-up brushes, not hair brushes): most shared words above the leaf, then
        the most products; ``category`` itself unless another leaf is nearer."""
        def words(names: set[str]) -> set[str]:
            return {singular(w) for n in names for w in normalise(n).split()} - {"and"}

        near = words(kinds)
        head = {singular(w) for w in normalise(category).split()}
        best, best_key = category, (len(words(self.vocab.ancestors.get(category, set())) & near), 0)
        for leaf in self.vocab.leaves:
            if leaf == category or not head <= {singular(w) for w in normalise(leaf).split()}:
                continue
            key = (len(words(self.vocab.ancestors.get(leaf, set())) & near), self.vocab.leaf_counts.get(leaf, 0))
            if key > best_key:
                best, best_key = leaf, key
        return best

    @staticmethod
    def decide(intent: str, message: str, s: Slots, n_shown: int, votes: dict[str, float]) -> tuple[str, str | None]:
        """The action: the vote (``intent``) unless a rule on unambiguous words decides; (action, rule or None)."""
        norm = normalise(message)
        has_filter = s.brand is not None or s.min_price is not None or s.max_price is not None or s.cheaper
        names_product = bool(s.category or s.brand or s.positions or s.all_shown)
        if _INJECTION.search(message):
            return "chat", "injection"
        if cues.is_greeting(message):
            return "chat", "greeting"  # "hi there 👋": a greeting, no brand or product asked for
        if cues.is_greeting_with_news(message) and not (names_product or has_filter or s.title_category
                                                         or cues.is_gift(message)):
            return "chat", "greeting"  # "hello, first time here": a greeting and news, nothing asked for
        if cues.is_code(message):
            return "chat", "code"
        if cues.is_pasted_review(message) and s.min_price is None and s.max_price is None:  # a bound asks for more
            return "chat", "pasted review"
        if cues.asks_price_match(message):
            return "chat", "price match"  # "it's cheaper elsewhere, can you match it?": a question for the shop
        if s.elsewhere:
            return "search", "a product met elsewhere"  # "a friend swore by 'X', do you sell it?": look for it
        if n_shown and _PAGING.match(message):
            return "refine", "another page"  # "next", "show me more": the same list's next products
        if n_shown and re.search(r"\b(something|anything|smth|sth) else\b", norm) and not (
                s.positions or s.brand or s.category or s.title_category or has_filter
                or cues.wants_personal_pick(message)
                or re.search(rf"\blike\b|{_LIKENESS}", norm)):
            return "refine", "another page"  # "these aren't it, show me something else": more of the list
        if n_shown and _CHOSEN.search(norm) and not (s.cheaper or s.min_price is not None or s.max_price is not None):
            return "chat", "a choice made"  # "right, im gonna go with the grey pair", "i'll buy the acme then":
            # nothing more to find
        if s.brand and re.fullmatch(rf"\W*(?:(?:actually|no|ok|okay|hmm|wait|sorry)\W+)*(?:make|change|switch) "
                                    rf"(?:it|that|them|those)(?: to)? {re.escape(normalise(s.brand))}\W*", norm):
            return ("refine" if n_shown else "search"), "a brand corrected"  # "actually, make it <brand>"
        if n_shown and (_VARIANT.search(message) and len(norm.split()) <= 5
                        or (_OTHER_VARIANT.search(norm) or _comes_in().search(norm))
                        and len(norm.split()) <= _TOLD_WORDS and not (s.unshown_kind and not _in_a_colour_pack(norm))) \
                and not (
                s.brand or s.positions or s.cheaper or s.min_price or s.max_price or cues.is_service_question(message)):
            return "refine", "a variant of what is shown"  # "a lighter one?": the same kind, narrowed
        if n_shown and s.cheaper and not names_product and not s.title_category:  # a kind by its titles is named too
            return "refine", "cheaper words"  # "that's a bit steep for me": cheaper than what is shown
        if n_shown and s.shown_kind and (s.cheaper or s.min_price is not None or s.max_price is not None) \
                and not (s.brand or s.positions) and not re.search(_NEW_SEARCH, norm):
            return "refine", "a price for the shown kind"  # "those blenders cost too much, 50 at most": narrow them
        if cues.is_service_question(message) and not s.positions and not cues.wants_personal_pick(message) \
                and (not names_product or cues.asks_about_service(message) and s.min_price is None
                     and s.max_price is None):
            # shipping, returns, payment: nothing to search (but "a kettle under 30, can it come by friday" is one)
            return "chat", "service question"
        if cues.asks_for_writing(message):
            return "chat", "writing"  # a poem, a story, a joke about a product is no search for one
        if cues.is_off_topic(message) and not s.category:
            return "chat", "off topic"  # recipes, jokes, the weather: nothing the shop sells
        if intent == "compare" and re.match(r"\W*who\b", norm) and not (s.positions or s.all_shown or s.category
                                                                      or s.title_category or s.brand
                                                                      or re.search(_COMPARE, norm)):
            return "chat", "off topic"  # "who wins tonight": a person asked after, no product set side by side
        # "pricier ones, over 100, it's for her birthday", "over 80 only, it's her birthday": a bound on the shown
        # ones, the occasion only its reason
        shown_bound = n_shown and has_filter and not (s.category or s.title_category or s.brand) \
            and (re.search(_THE_SHOWN_ONES, norm) or re.search(r"\d\+?\s*(k|dollars?|bucks|usd)?\s+only\b", norm)
                 # "keep them under 30, they're presents": the shown ones held to a bound
                 or re.search(r"\bkeep (it|them|those|these|things) (under|below|to|at|around|within)\b", norm))
        if cues.is_thanks(message) and not (s.category or s.title_category or s.brand or s.positions or has_filter):
            return "chat", "thanks"  # "thanks a ton, you rescued my anniversary": the occasion is no gift asked for
        if cues.is_gift(message) and not (s.positions or s.all_shown or s.user_id or cues.wants_personal_pick(message)
                                          or re.search(r"\b(for (me|myself)|(its|it is) my)\b", norm) or shown_bound):
            return "search", "a gift"  # "white elephant party, cap $25": a new search, not a narrowing
        if n_shown and s.ruled_out and not (s.category or s.positions or s.title_category and not s.brand):
            return "refine", "a brand ruled out"  # "not korra", "no, not solara - velmora": narrow what is shown
        if s.brand and not (s.positions or s.all_shown or s.min_price is not None or s.max_price is not None
                            or s.cheaper) and _brand_and_line(message, norm, s.brand):
            return "search", "a brand alone"  # "Korra pls", "Solara's trail line": that brand's products, no item
        if s.brand and not (s.positions or s.all_shown or s.category or s.title_category or s.query or s.cheaper
                            or s.min_price is not None or s.max_price is not None or s.ruled_out or s.user_id) \
                and _brand_asked(norm, s.brand) and not cues.wants_personal_pick(message):
            # "from OPI": narrow to that maker; "what do you have from X": the shop's range of that maker is asked
            # for, not what is shown narrowed
            return ("refine" if n_shown and not re.search(_WHAT_YOU_HAVE, norm) else "search"), "a brand asked for"
        if (cues.asks_popular(message) and not s.category or cues.asks_what_others_buy(message)) \
                and not (s.positions or s.all_shown or has_filter):
            return "recommend", "popular picks"  # "what's trending": the shop's picks, not an order of what is shown
        if s.companion:
            return "search", "another kind to go with"  # "socks to match the red shoes": that kind, none shown
        if n_shown:
            if len(s.positions) == 1 and set(norm.split()) <= _LONE_POSITION and not has_filter:
                return "describe", "a position alone"  # "ok, the second then": that product, nothing else asked
            if cues.asks_which_of_shown(message) and not s.category and len(s.positions) != 1:
                return "compare", "which of the shown"  # "which of those is cheapest?": order what is shown
            if cues.asks_which_of_shown(message, comparative=True) and s.category \
                    and not (s.unshown_kind or s.positions or s.brand or s.min_price or s.max_price) \
                    and not re.search(_NEW_SEARCH, norm):
                return "compare", "which of the shown kind"  # "which shoes are lighter" on a page of shoes
            if re.search(_COMPARE, norm) and (len(s.positions) >= 2 or s.all_shown or "compare" in norm
                                              or "side by side" in norm and not re.search(_NEW_SEARCH, norm)):
                return "compare", "compare words"
            if len(s.positions) >= 2 and re.search(r"\b(or|which|and|against|next to|beside|alongside|stack|stacks|"
                                                   r"measure up|match up|versus|over|\w+er than|more \w+ than|"
                                                   r"(more|less) than|worth)\b",
                                                   norm) and intent != "similar":
                return "compare", "two positions"  # "third or fourth, which should I take?"
            if len(s.positions) == 1 and (asked := _PROPERTY_QUESTION.search(message)) and (
                    "?" in message or s.referred or _opens_clause(asked, message)):
                return "describe", "property question"  # "a pair like the first one, do they fold flat?"
            if len(s.positions) == 1 and "?" in message and s.min_price is None and s.max_price is None \
                    and not s.cheaper and re.search(r"\b(in stock|available|(any|some|many|much) left)\b", norm):
                return "describe", "stock of one shown"  # "are two of the tint left in stock?": that one's stock
            if re.search(r"\b(similar|alternatives?|dupes?|knock[- ]?offs?|lookalikes?|look[- ]alikes?|"
                         r"like (the|that|this|it|number|item)|more like|others like|"
                         r"in the style of|in (that|this|the same|a similar) (style|look|design|vibe|vein)|"
                         r"close to|comparable to|resembling|along (?:the|those|these|similar|the same) lines|"
                         r"in the vein of|"
                         r"(anything|something|smth|sth|somethin|stuff|things|more|others?|else) like|"
                         r"(other|more|similar) \w+( \w+)? like|"  # "other candles like the third", "more scents like"
                         rf"like (number )?\d\b(?!\s*(?:{_UNITS})\b))\b",  # "like 1 litre" is a size, not a position
                         _likeness_asked(norm)) or s.positions and (re.search(_SENSED_LIKE, norm)
                                                                               or s.like_shown):
                if s.unshown_kind:  # "a kettle of similar quality to my old one": none shown is that kind
                    return "search", "a kind none shown"
                if s.category and not s.positions and re.search(_TOLD_PURCHASE, norm):
                    return "search", "likeness to a product told"  # "he paid 300 for hiking boots, i want
                    # something like that": the kind told of, not one shown
                if not (s.positions or s.all_shown or re.search(_POINTED_AT, norm)) and (
                        s.category or s.title_category or s.brand or s.query):
                    return "search", "likeness to nothing shown"  # "lipstick dupes under 20", "like <a name> does"
                return "similar", "similar words"
            if len(s.positions) == 1 and (s.referred and "?" in message or _QUESTION_WORDS.search(norm)) \
                    and s.min_price is None and s.max_price is None and not s.cheaper:
                return "describe", "a question about one shown"  # "and the other tint?", "the gel what is it for"
            if len(s.positions) == 1 and (re.search(r"\b(tell|describe|details?|more about|info|features?|reviews?|"
                                                    r"good|made|about)\b", norm) or cues.asks_about_item(message)):
                return "describe", "question about a position"
        if cues.wants_personal_pick(message) and s.min_price is None and s.max_price is None and not s.positions \
                and not cues.for_someone_else(message):
            return "recommend", "personal pick"
        if intent == "recommend" and cues.for_someone_else(message) and not (s.user_id or s.positions):
            return "search", "for someone else"  # "a thing for my niece who paints": a present to find
        if intent in ("similar", "describe", "compare") and not (s.positions or s.all_shown) and (
                s.category or s.title_category and not s.brand) and \
                not re.search(r"\b(it|this|that|these|those|them|one|ones)\b", re.sub(_RELATIVE_THAT, " ", norm)):
            return "search", "a category, no position"  # names a kind of product and none of those shown
        if s.user_id and intent in ("chat", "search") and not s.category and not s.query:
            return "recommend", "user id"
        if intent in ("similar", "describe", "compare", "refine") and not n_shown:
            return ("search" if (s.category or s.query or has_filter) else "chat"), "nothing shown"
        if intent == "chat" and (s.category or s.title_category) and s.brand and not s.positions \
                and not cues.asks_about_item(message):
            return "search", "a brand and a kind"  # "<brand> <kind of product>" (by its name or its titles' words)
        if intent == "chat" and s.category and votes.get("chat", 0) < 2 * max(
                votes.get("search", 0), votes.get("refine", 0), 1e-9):
            return "search", "a category"
        # "the pair i owned by them" after a brand's name: the maker, not the shown ones
        refine_cue = re.search(_REFINE_CUE, re.sub(r"\b(from|by) them\b", " ", norm) if s.brand else norm)
        new_thing = s.brand and (s.query or re.search(r"\b(something|anything|stuff|things|products|gear)\b", norm)
                                 or _only_brand(norm, s.brand) or s.unshown_brand) \
            or re.search(_SOMETHING_FOR, norm)  # "something for my nephew's christening, 40 max"
        # "sally hansen" alone, "<brand> under 60" (none shown is theirs): that brand's products
        # "<brand> ones only": the brand's own titles name no kind asked for
        branded_only = bool(refine_cue and s.brand and not s.query)
        if (n_shown and has_filter and not s.category and (not s.title_category or branded_only)
                and (not s.query or s.idle_query and not s.brand and not re.search(_NEW_SEARCH, norm))
                and not s.positions
                and (intent not in ("recommend", "chat") or refine_cue and not cues.wants_personal_pick(message))
                and (refine_cue or not new_thing)):
            return "refine", "filter only"  # only a price, or a brand said of what is shown: narrow the list
        if intent == "recommend" and s.category and not (s.user_id or s.positions or s.all_shown) \
                and not cues.wants_personal_pick(message) and not cues.asks_popular(message):
            return "search", "a kind for someone"  # "a body wash for my nephew": that kind, no pick from history
        if intent == "recommend" and (s.min_price is not None or s.max_price is not None) \
                and cues.for_a_person(message) \
                and not (s.user_id or s.positions or s.all_shown or cues.wants_personal_pick(message)):
            return "search", "a budget for someone"  # "something for grandpa, under 30": what that budget buys
        if intent == "recommend" and s.unknown_thing and not (s.user_id or s.positions or s.all_shown
                                                              or cues.wants_personal_pick(message)) \
                and not re.search(rf"\b(picks?|suggestions?|recommendations?|ideas?|choices?)\b|\bfor (me|myself|us)\b|"
                                  rf"{_OWN_HABITS}", norm):
            return "search", "a thing asked for"  # "a guitar for beginners": that thing, not a pick from history
        if intent == "recommend" and new_thing and not s.user_id and not cues.wants_personal_pick(message):
            return "search", "a brand to browse"  # "anything from Harmonix": that brand's products
        if intent == "refine" and re.search(_NEW_SEARCH, norm) and not refine_cue:
            return "search", "a new search"  # "hunting for a kettle under 30": not a narrowing of the list
        if intent == "refine" and s.category:
            return "search", "a category"
        if intent in ("refine", "similar", "describe", "compare") and re.search(
                r"\b(do|does) (you|u|ya|yall|the shop|the store)( guys| all)? (even |also )?"
                r"(sell|carry|stock|have)\b(?! "
                r"(it|them|these|those|this|that|any of|one of)\b)", norm) and not (s.positions or s.all_shown):
            return "search", "whether the shop sells a kind"  # "do you stock garden hoses": a search for them
        if intent == "refine" and s.title_category and not has_filter and not refine_cue:
            return "search", "a kind by the titles"  # nothing to narrow the list by, a kind of product named
        if intent == "refine" and not (has_filter or refine_cue or s.positions or s.all_shown) and s.query \
                and not s.idle_query:
            return "search", "nothing to narrow by"  # words the titles use, no brand, price or narrowing word
        if intent == "refine" and new_thing and not refine_cue:
            return "search", "a new thing, no reference"  # "Solara gear under 50", "something for my nephew's
            # christening, 40 max": a new search
        if intent == "refine" and s.thing_asked and not (refine_cue or s.category or s.brand or s.positions):
            return "search", "a thing and its budget"  # "hammock below 60": the nearest the shop has
        if n_shown and intent == "search" and refine_cue and has_filter and not s.category \
                and not (s.title_category and not s.brand) and not re.search(_NEW_SEARCH, norm):
            # "... they only drink instant. something to brew coffee, about $60": a kind by the titles' words is asked
            # for, whatever "only" said of the story; "looking for <brand> things" opens a new search
            return "refine", "filter of what is shown"  # "could you narrow these to Stridewell"
        return intent, None

    @staticmethod
    def _args(intent: str, s: Slots, n_shown: int) -> ActionArgs:
        if intent == "search":
            category = s.category or s.title_category
            return ActionArgs(query=s.query or (category or "") or None, brand=s.brand, category=category,
                              min_price=s.min_price, max_price=s.max_price)
        if intent == "refine":
            # "too pricey, under 20": the bound says how much cheaper; "cheaper" is only for a wish with no figure
            return ActionArgs(brand=s.brand, min_price=s.min_price, max_price=s.max_price,
                              cheaper=s.cheaper and s.max_price is None)
        if intent in ("similar", "describe"):
            return ActionArgs(item=s.positions[0] if s.positions else None)
        if intent == "compare":
            items = s.positions if len(s.positions) >= 2 else (list(range(1, n_shown + 1)) if s.all_shown or not
                                                                s.positions else s.positions)
            return ActionArgs(items=items or None)
        if intent == "recommend":
            return ActionArgs(user_id=s.user_id)
        return ActionArgs()
