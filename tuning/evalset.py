"""The hand-written planner requests (``eval_requests/*.jsonl``, written once by hand, never generated) and how a
plan is scored against them.

A line: ``{"message", "action", "args", "history"?, "tags"?}``. In ``args`` a brand or category may be a list of
acceptable spellings (a catalog may hold "L'Oreal" and "L'Oreal Paris"), ``"*"`` means "not scored", and an
argument left out must come back ``null``. ``query`` (free text) is not compared; a search must carry one.
``cheaper`` null and false are the same. Requests are planned with four products shown at positions 1-4.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from agent.actions import CONTRACT_ARGS

EVAL_DIR = Path(__file__).parent / "eval_requests"
# written later, by hand too: "dev" guided the router's rules; "check" was written after them (then also used)
DEV_DIR = Path(__file__).parent / "dev_requests"
# written by hand and committed before any planner ran on them. "blind1" (``NAME.jsonl``) was measured once, then
# used to fix the router, so it is one more dev set now; "blind" (``NAME_2.jsonl``) was written after those fixes
# and is never used to change a planner: the generalisation figure
BLIND_DIR = Path(__file__).parent / "blind_requests"
# the held-out sets, each in ``tuning/<group>_requests`` ("heldout", "heldout2", ...):
# "heldout": written from Amazon ePQA product questions, service questions and price phrasings, labelled and committed
# before any planner ran on them (demo: f0c4bd0, 36; both catalogs to 169: 3151500). Measured once there, before any
# rule change: demo 0.839 action / 0.770 args, beauty 0.939 / 0.829. The rule commit after 3151500 fixed the kinds of
# miss they showed (no request is copied: tests/tuning/test_evaluation_leakage.py), so later figures on them are
# after-the-fact; the next set written after that commit is the clean generalisation figure
# "heldout2": written by hand after the rule commit 02b00a7, by an author who did not read the planner's rules,
# examples, vocabulary or the other request sets (sources: Amazon ePQA questions reworded, service and off-topic
# questions, the shopper's own phrasings); labelled and committed (the commit that added this comment; three demo lines the leakage test found among the planner
# examples and tuning templates dropped first: 125 + 128) before any
# planner ran on it (ad4d4a8): the clean generalisation figure. Measured once there (`shopagent bench planner
# --json`, rule planner): demo 112 action 0.902 / args 0.839, beauty 114 action 0.877 / args 0.719
# "heldout3": written by hand on 2026-12-03 (commit 2471d72) by an author who did not read the planner's rules,
# examples, vocabulary, tests or the other request sets (only the action contract, the two catalogs and the format),
# committed before the rule changes after it and before any planner ran on it. Measured blind at 7eab91b (`shopagent
# bench planner --json`, rule planner): demo 107 action 0.963 / args 0.879, beauty 102 action 0.971 / args 0.863;
# rules were then written from its misses (branch lang4), so later figures on it are after the fact (after lang4:
# demo 1.000 / 1.000, beauty 1.000 / 0.990)
# "heldout4": written by hand on 2026-12-06 (commit b3faaae) by an author who read only the action contract, the two
# catalogs' brands, category paths and shown products, and ePQA question styles (reworded) - no rules, examples,
# vocabulary, tests or other request sets; committed before any planner ran on it and before the rule changes after
# it: the clean generalisation figure. Four planner examples and one tuning phrase written long before it came within a
# letter of its short requests by chance ("bye", "under 40 please") and were reworded away from them; then measured
# once before any rule change (`shopagent bench planner --json`): demo 117 action 0.949 / args 0.838, beauty 116
# action 0.905 / args 0.733
# "heldout5": written by hand on 2026-12-06 (commit 6a2a655) the same way by another author (personas from a teenager on
# a phone to a professional buyer; ePQA question styles reworded), after the lang4 rule round and before any rule
# change after it or any planner run on it. One planner example written long before it came within a letter of one
# of its requests by chance and was reworded away; then measured once before any rule change (`shopagent bench planner
# --json`): demo 122 action 0.943 / args 0.877, beauty 124 action 0.887 / args 0.782
# "heldout6": written by hand on 2026-12-06 (commit a46f297) the same way by another author (voices: non-native
# speakers, voice dictation, gift buyers, one-word messages, buried constraints, self-corrections, service questions,
# every form of price), after the lang5 rule round and before any rule change after it or any planner run on it;
# "about $X" prices are not scored (as in heldout4/5: the planner reads them as a band around X). One planner example
# ("hi") and two tuning phrases written long before it came within a letter of its requests by chance and were
# reworded away; then measured once before any rule change (`shopagent bench planner --json`): demo 124 action
# 0.911 / args 0.774, beauty 125 action 0.856 / args 0.688; after the lang6 round (written from heldout5): the same
# "heldout7": written by hand on 2026-12-06 (commit 099fecb) the same way by another author (voices: formal older
# shoppers, things seen elsewhere, problem-first needs, bargain hunters, talk about the shown products, slang and
# emoji, account questions, measurements beside prices), after the lang6 rule round and before any rule change after
# it or any planner run on it; measured once before any rule change (`shopagent bench planner --json`): demo 122
# action 0.836 / args 0.746, beauty 125 action 0.872 / args 0.800; after the lang7 round (written from heldout6):
# demo 0.844 / 0.770, beauty 0.880 / 0.808
# "heldout8": written by hand on 2026-12-06 (commit c08fec9) the same way by another author (voices: caregivers,
# replacements of what the shopper owns, two requests in one message, dislikes, fast phone typing, comparers of the
# shown products, service questions told as stories, other price forms), after the lang7 rule round and before any
# rule change after it or any planner run on it; one planner example written long before it ("cheaper ones") came
# within a letter of one of its requests by chance and was reworded away; then measured once before any rule change
# (`shopagent bench planner --json`): demo 110 action 0.900 / args 0.809, beauty 110 action 0.845 / args 0.800;
# after the lang8 round (written from heldout7): demo 0.909 / 0.818, beauty 0.855 / 0.809
# "heldout9": written by hand on 2026-12-06 (commit e4acf36) the same way by another author (voices: problem-first
# needs, phone typing, chit-chat around a request, varied on-screen references, service questions naming a product
# kind, varied price talk, brand look-alikes), after the lang8 rule round and before any rule change after it or any
# planner run on it; two planner examples written long before it ("hello there", "too pricey") were its requests
# word for word by chance and were reworded away; then measured once before any rule change (`shopagent bench
# planner --json`): demo 121 action 0.967 / args 0.851, beauty 111 action 0.982 / args 0.865; after the lang9
# round (written from heldout8): demo 0.967 / 0.860, beauty 0.991 / 0.874; after lang10 as well (written from the
# misses left in heldout3-7 by another author who never read it): demo 0.959 / 0.860, beauty 0.991 / 0.883
# "heldout10": written by hand on 2026-12-06 (commit 5d74e11) the same way by another author (voices: British,
# Australian and Indian kind words, several constraints and exclusions, units that are no prices, attribute
# questions about a shown product, short follow-ups, service and injection asks, picks and likeness in many words,
# brand look-alikes), while the lang9 round (written from heldout8, never reading it) was under way; one planner
# example written long before it ("hiya") was one of its requests word for word by chance and was reworded away;
# measured once on main before lang9 merged and before any rule change after it: demo 121 action 0.942 / args
# 0.893, beauty 113 action 0.867 / args 0.761; after lang9: demo 0.950 / 0.901, beauty unchanged; after lang10 as
# well: demo 0.942 / 0.901, beauty 0.867 / 0.770
# "heldout11": written by hand on 2026-12-06 (commit abf853e) the same way by another author (voices: ordinary
# everyday traffic in a realistic mix - plain searches and narrowing, prices written every way, gifts and uses,
# casual brand typing, on-screen references, service, greetings and the odd injection), before the rule changes
# written from heldout9 and heldout10 and before any planner run on it; one tuning template written long before it
# ("too pricey for me") was one of its requests word for word by chance and was reworded away; measured once before
# any rule change (`shopagent bench planner --json`): demo 122 action 0.975 / args 0.959, beauty 119 action 0.933 /
# args 0.882; after the lang11 round (written from heldout9 and heldout10 by an author who never read it) and a wider
# English word list for brand look-alikes: demo 0.975 / 0.943, beauty 0.941 / 0.891
# "heldout12": written by hand on 2026-12-06 the same way by another author (voices: a second day's ordinary traffic,
# many messages typed on a phone, some describing a situation first, some from shoppers whose English is a second
# language), before any rule change written from heldout11 and before any planner run on it; three planner examples
# written long before it were among its requests by chance and were reworded away; measured once before any rule
# change (`shopagent bench planner --json`): demo 120 action 0.883 / args 0.833, beauty 123 action 0.894 / args
# 0.748; unchanged after the lang12 round (written from heldout11 by an author who never read it)
# "heldout13": written by hand on 2026-12-06 the same way by another author (traffic through other doors than a chat
# box: search-bar keyword strings pasted into chat, voice-assistant transcripts with spoken numbers and
# self-corrections, Amazon-style questions about a shown product's attributes, and an ordinary day around them),
# before any rule change written from heldout12 and before any planner run on it; one planner example written long
# before it ("tell me more about the second one") came within a letter of one of its requests by chance and was
# reworded away; then measured once before any rule change (`shopagent bench planner --json`): demo 125 action
# 0.888 / args 0.824, beauty 126 action 0.937 / args 0.802; after the lang13 round (written from heldout12 by an
# author who never read it): demo 0.936 / 0.880, beauty 0.968 / 0.849
# "heldout14": written by hand on 2026-12-06 the same way by another author (needs told as problems and people by
# shoppers who do not know the shop's words: concerns, body parts, hair and skin types and situations instead of
# product names; personas from a first-time male beauty buyer to a grandparent; multi-turn follow-ups; an ordinary
# day around them), before any rule change written from heldout13 and before any planner run on it (9b030da); measured
# once before any rule change (`shopagent bench planner --json`): demo 127 action 0.937 / args 0.772, beauty 131
# action 0.947 / args 0.649; after the lang14 round (written from heldout13 by an author who never read it): demo
# 0.937 / 0.795, beauty 0.947 / 0.664 (all of it from the leaf found by meaning; without it, unchanged)
# "heldout15": written by hand on 2026-12-06 the same way by another author (an ordinary week of traffic in the
# author's own voice, a third of the searches telling the need, use, person or moment instead of the product, the
# needs chosen by the author from the catalogs' categories and sample products), before any rule change written from
# heldout14 and before any planner run on it (038e663); measured once before any rule change (`shopagent bench planner
# --json`): demo 127 action 0.945 / args 0.819, beauty 130 action 0.938 / args 0.769; unchanged after the lang15
# round (written from heldout14 by an author who never read it); after the hand-written needs of the leaf-by-meaning
# (effa775, written without reading it): demo 0.945 / 0.827, beauty 0.938 / 0.785; its misses were then read for the
# lang16 round (after heldout16 was committed), so later figures on it are after the fact
# "heldout16": written by hand on 2026-12-06 the same way by another author (shoppers from around the English-speaking
# world: British, Irish, Australian, Indian, South African and Canadian words and spellings, prices as they write
# them; a third of the searches told as needs), from a fresh sample of each catalog, before any rule change written
# from heldout15 and before any planner run on it (a0594b8); measured once before any rule change (`shopagent bench
# planner --json`): demo 128 action 0.961 / args 0.773, beauty 128 action 0.945 / args 0.727; after the lang16 round
# (written from heldout15 by an author who never read it): demo 0.961 / 0.813, beauty 0.961 / 0.742; its misses were
# then read for the lang17 round (after heldout17 was committed), so later figures on it are after the fact
# "heldout17": written by hand on 2026-12-07 the same way by another author (messages spoken into a phone or dictated
# in a hurry, and shoppers older or new to shopping online: run-on sentences, filler, dictation slips, prices spoken
# as words, long polite openings; over half still ordinary traffic; a third of the searches told as needs), from a
# fresh sample of each catalog, before any rule change written from heldout16 and before any planner run on it
# (ab9d5eb; one line the leakage test found inside a training template dropped first); measured once before any rule
# change: demo 128 action 0.953 / args 0.797, beauty 127 action 0.937 / args 0.772; after the lang17 round (written
# from heldout16 by an author who never read it): demo 0.953 / 0.813, beauty 0.937 / 0.795; its misses were then read
# for the lang18 round (after heldout18 was committed), so later figures on it are after the fact
# "heldout18": written by hand on 2026-12-07 the same way by another author (conversations in progress: about a third
# of the lines carry one to three earlier exchanges and make full sense only after them; the rest ordinary single
# messages; a third of the searches told as needs), from a fresh sample of each catalog, after the lang17 round and
# before any rule change written from heldout17's misses, which were not read before it was committed (4c97695; one
# line the leakage test found near a planner example dropped first); measured once before any rule change: demo 127
# action 0.913 / args 0.811, beauty 128 action 0.922 / args 0.820; unchanged after the lang18 round (written from
# heldout17 by an author who never read it); its misses were then read for the lang19 round (while heldout19 was being
# written by another author, and committed before any rule of it), so later figures on it are after the fact
# "heldout19": written by hand on 2026-12-07 the same way by another author (shoppers who write English as a second
# language, and shoppers replacing or matching something they own; about a quarter of the lines carry earlier
# exchanges; a third of the searches told as needs), from a fresh sample of each catalog, before any rule change
# written from heldout18's misses (read while it was being written, by the rules' author, who never saw it) and
# before any planner ran on it (e032374; one demo line the leakage test found among the tuning templates dropped
# first); measured once before any rule change: demo 127 action 0.874 / args 0.764, beauty 128 action 0.914 / args
# 0.727; after the lang19 round (written from heldout18 by an author who never read it): demo unchanged, beauty
# 0.922 / 0.734; its misses were then read for the lang20 round (after heldout20 was committed), so later figures on
# it are after the fact
# "heldout20": written by hand on 2026-12-07 the same way by another author (one ordinary day of the shop's chat in a
# realistic mix, a quarter of the lines with earlier exchanges spread over every action, a third of the searches told
# as needs), from a fresh sample of each catalog, after the lang19 round and before any rule change written from
# heldout19's misses, which were not read before it was committed, and before any planner ran on it (cbcca60; two lines
# the leakage test found at or near planner examples dropped first); measured once before any rule change: demo 127
# action 0.929 / args 0.874, beauty 127 action 0.961 / args 0.803; unchanged after the lang20 round (written from
# heldout19 by an author who never read it); its misses were then read for the lang21 round (after heldout21 was
# committed), so later figures on it are after the fact
# "heldout21": written by hand on 2026-12-07 the same way by another author (a sale weekend: deal hunters, gifts
# against a deadline, stocking up, shoppers sent by an ad or a friend, the service traffic a sale brings; a third of
# the lines with earlier exchanges, a third of the searches told as needs), from a fresh sample of each catalog,
# before any rule change written from heldout20's misses, which were not read before it was committed, and before any
# planner ran on it (9b409c5; one demo line the leakage test found among the tuning templates dropped first); measured
# once before any rule change: demo 127 action 0.953 / args 0.913, beauty 128 action 0.906 / args 0.781; after the
# lang21 round (written from heldout20 by an author who never read it): demo unchanged, beauty 0.914 / 0.789; its
# misses were then read for the lang22 round (after heldout22 was committed), so later figures on it are after the fact
# "heldout22": written by hand on 2026-12-07 the same way by another author (the week before a holiday: gift shoppers
# against a deadline, last-minute treats, travel to family, unsure what a recipient uses, the service traffic of that
# week; a third of the lines with earlier exchanges, a third of the searches told as needs), from a fresh sample of
# each catalog, before any rule change written from heldout21's misses, which were not read before it was committed,
# and before any planner ran on it (e7685c4; one demo paging line the leakage test found among the reply templates
# dropped first); measured once before any rule change: demo 127 action 0.937 / args 0.835, beauty 128 action 0.938 /
# args 0.797; after the lang22 round (written from heldout21 by an author who never read it): demo 0.937 / 0.843,
# beauty unchanged; its lines were then shown to the round's author once by a checking script that diffed the data
# files, after those figures and after the last planner change of that session (no rule was written after it)
# "heldout23": written by hand on 2026-12-07 the same way by another author (shoppers on their phones on the commute
# home: short hurried messages typed with thumbs, abbreviations, dropped words, autocorrect slips, half-remembered
# brands, quick follow-ups to what is on screen, among plain ones), from a fresh sample of each catalog, before any
# rule change written from heldout22's misses and before any planner ran on it (48ac25d); measured once before any
# rule change: demo 128 action 0.977 / args 0.938, beauty 128 action 0.977 / args 0.906; after the lang23 round
# (written from heldout22): demo unchanged, beauty 0.977 / 0.914 (a running figure of it was printed once mid-round
# by a summary script; no rule was kept or dropped on it)
# "heldout24": written by hand on 2026-12-07 the same way by another author (a household's weekend shopping list: one
# person shopping for partners, teenagers, small children, a visiting grandparent, a flatmate; things run out or
# broken, what someone at home already likes, budgets per person, a need told through what someone does or complains
# about, the service questions of such a morning; about a third of the lines with earlier exchanges), from a fresh
# sample of each catalog, before any rule change written from heldout23's misses and before any planner ran on it
# (0fb9780; four short generic lines the leakage test found among the tuning templates dropped first: 126 + 126);
# measured once before any rule change: demo action 0.984 / args 0.905, beauty 0.960 / 0.905; after the lang24 round
# (written from heldout23): unchanged
# "heldout25": written by hand on 2026-12-07 the same way by another author (people starting something new: a first
# job, a first flat, a new hobby or sport, a new baby or pet, a new routine, a new city; beginners who describe what
# they want to do rather than name the product, with experienced shoppers among them; the service questions of a first
# order; about a third of the lines with earlier exchanges), from a fresh sample of each catalog, before any rule
# change written from heldout24's misses and before any planner ran on it (the commit that added this comment;
# three demo lines the leakage test found among the planner examples and tuning templates dropped first: 125 + 128);
# measured once before any rule change: demo action 0.952 / args 0.824, beauty 0.977 / 0.805; after the lang25 round
# (written from heldout24): demo 0.952 / 0.840, beauty unchanged
# "heldout26": written by hand on 2026-12-07 the same way by another author (a rainy Sunday evening on the sofa:
# unhurried, chatty browsing; comparisons and follow-ups about the products on screen; wish lists; things seen on TV, in
# a magazine or on a friend; replacements for things worn out; needs told through what happens to the shopper or
# someone at home; treats and gifts; that evening's service questions; about a third of the lines with earlier
# exchanges), from a fresh sample of each catalog, before any rule change written from heldout25's misses and before
# any planner ran on it (the commit that added this comment; two Beauty lines the leakage test found among the rule
# modules and tuning templates dropped first: 128 + 126); measured once before any rule change: demo action 0.945 /
# args 0.820, beauty 0.944 / 0.754; after the lang26 round (written from heldout25): demo 0.945 / 0.828, beauty 0.952 /
# 0.762
# "heldout27": written by hand on 2026-12-07 the same way by another author (getting ready to go away: a beach holiday,
# a wedding weekend, a festival, a ski or business trip, camping, family abroad, a hospital stay, a school trip; things
# forgotten or lost while packing, travel sizes, things for the journey and the event, gifts for the hosts, last-minute
# replacements; needs told through where the shopper is going and what they will do there; the service side of a trip;
# about a third of the lines with earlier exchanges), from a fresh sample of each catalog, before any rule change
# written from heldout26's misses and before any planner ran on it (the commit that added this comment; one demo line
# the leakage test found among the rule modules and tuning templates dropped first: 127 + 128); measured once before
# any rule change: demo action 0.976 / args 0.866, beauty 0.984 / 0.828; after the lang27 round (written from
# heldout26): demo 0.976 / 0.874, beauty 0.984 / 0.836
# "heldout28": written by hand on 2026-12-07 the same way by another author (buying for work: a salon restocking, a
# make-up artist's kit, a cafe or B&B owner, an office manager, a trainer, a carer, a guide, a teacher's class trip, a
# film crew; quantities and repeat orders, professional against consumer products, needs told through the work done;
# the service side of trade buying; about a third of the lines with earlier exchanges), from a fresh sample of each
# catalog, before any rule change written from heldout27's misses and before any planner ran on it (the commit that
# added this comment; one Beauty line the leakage test found near a planner example dropped first: 128 + 127);
# measured once before any rule change: demo action 0.898 / args 0.859, beauty 0.913 / 0.772; after the lang28 round
# (written from heldout27): unchanged
# "heldout29": written by hand on 2026-12-07 the same way by another author (replacing things that broke, wore out or
# ran out: a motor that burned out, earbuds lost, a coating that flaked, a bottle that shattered or ran empty; the same
# again, the same but sturdier, what went wrong with the old one, whether a replacement fits or lasts; returns,
# exchanges, warranties and damaged deliveries; about a third of the lines with earlier exchanges), from a fresh sample
# of each catalog, before any rule change written from heldout28's misses and before any planner ran on it (the commit
# that added this comment; one line of each shop the leakage test found among the rule modules and tuning templates
# dropped first: 127 + 127; then the eight lines containing "restock", which a search over every request file printed
# to the author of the next round, dropped before any rule change: 124 + 122); measured once before any rule change:
# demo action 0.927 / args 0.911, beauty 0.926 / 0.902; after the lang29 round (written from heldout28): demo 0.935 /
# 0.919, beauty unchanged
# "heldout30": written by hand on 2026-12-07 the same way by another author (shopping within a constraint or a
# sensitivity: allergies, sensitive or acne-prone skin, pregnancy, vegan and fragrance-free wishes, a weak grip, a tiny
# flat, a light sleeper, a strict budget, a child or a pet at home, hand luggage only, poor eyesight; what the shopper
# cannot have, whether a shown product is safe for them, alternatives without an ingredient; ingredient lists and
# returns of opened products; about a third of the lines with earlier exchanges), from a fresh sample of each catalog,
# before the lang29 round (written from heldout28) was merged and before any planner ran on it (the commit that added
# this comment; one demo line the leakage test found among the rule modules and tuning templates dropped first:
# 127 + 128); measured once before any rule change: demo action 0.929 / args 0.890, beauty 0.922 / 0.859; after the
# lang29 round (written from heldout28, merged after this set's commit): unchanged; after the lang30 round (written
# from heldout29): demo 0.929 / 0.898, beauty unchanged
GROUPS = ("eval", "dev", "check", "blind1", "blind", "heldout", *(f"heldout{n}" for n in range(2, 31)))
# a group is held out when no rule or example was written from it and its commit predates every rule change it is
# measured against; "blind" is not: rule commits landed after it and three of its requests repeat eval requests;
# "heldout" is not either: rules were written from its misses in commit 02b00a7; nor "heldout2": rules were written
# from its misses on branch lang (commits 1b8bdef..the commit that set this flag: shown products named by their
# words, price ranges after a budget word, namesake categories, service/popular/off-topic cues, compare/similar cues);
# nor "heldout3": rules were written from its misses on branch lang4 (commits 1237d55..the commit that set this flag:
# a leaf by where the product titles use the shopper's words, shown products picked by their kind, bare and "-ish"
# price ranges and shared multipliers, initials and part-of-name brands, a leaf's head noun over a parent's name,
# writing requests, shop programmes, property questions about a referred product); nor "heldout4": rules were
# written from its misses on branch lang5 (commits da3656c..the commit that set this flag: brands as shoppers bend
# them (possessive/plural "s", one name typed as two words, a coined first word or a one-letter slip), a brand's kind
# of product from its own leaves, everyday category synonyms and "w/", a shown product named by two words of its own
# title, "those <named>" picking the named, side-by-side/dupes/new-search/cheaper cues, restock and whole-range
# service questions, meal questions off topic; it measured demo 0.966 / 0.855, beauty 0.922 / 0.802 before them);
# nor "heldout5": rules were written from its misses on branch lang6 (commits fa9cd8f..the commit that set this flag:
# a brand's name alone or with please, its possessive or a word of its own line while products are shown is a search
# for it; narrowing verbs ("limit to", "stick with", "keep it to", "narrow it to"), removed prices and ceilings ("get
# rid of anything over X", "cap it at X") and a ruled-out similar word; brands typed by their joined initials; a small
# budget or prices called too high as cheaper; points/rewards schemes, genuine-goods and damaged-delivery questions
# and the choice left to the shop; everyday names of a kind (frypan, earpods); "other <kind> like X"; it measured
# demo 0.951 / 0.910, beauty 0.903 / 0.839 before them); nor "heldout6": rules were written from its misses on branch
# lang7 (commits e7e1cfc..the commit that set this flag: spoken price ranges ("two hundred and three hundred"), a
# budget named after its figure, self-corrections (the last brand, kind or price said wins), brands ruled out ("not
# X"), terse pointers ("info 2", "more like 4", "the 3"), "it"/"that" after a reply about one shown product, past
# orders and dates that are no positions, service questions in many forms (giving back, final sale, arrived
# damaged, stalled tracking, a real person, a shop to visit, first-order offers, how the whole range is made),
# paperwork off topic, picks asked in a word or from past orders, brands spelt letter by letter, by capital
# initials or as they sound, ordinary words in use that are no brand; it measured demo 0.911 / 0.774, beauty
# 0.856 / 0.688 before them); nor "heldout7": rules were written from its misses on branch lang8 (commits
# 32e4ddb..the commit that set this flag: shown products picked by their price, as cheapest or dearest, by side or by
# size, or by a three-letter kind; comparatives between two shown; a price at another shop named by its name, the
# next sale, the shopper's own data, bare greetings, an order placed that has not arrived; another kind asked for
# beside a shown product (by its brand when the same maker is asked for); a product met elsewhere (quoted or
# reported) asked for here; a kind ruled out ("X free", "w/o X") names no kind; "rather"/"or just" as adverbs; picks
# from the order history; likeness to something not shown; a limit negated a verb or two before its cue, hundreds in
# slang, products pointed at by price are no bound; outings gone by are no last position; it measured demo 0.844 /
# 0.770, beauty 0.880 / 0.808 before them); nor "heldout8": rules were written from its misses on branch lang9
# (commits e575ff4..the commit that set this flag: two requests in one message (a product beside a question for the
# shop plans the product); purchase stories and money matters as service questions (billed twice, burst in the box,
# someone else's parcel, broken on arrival, days overdue, tax, bulk deals, trade-ins, marketing emails, a loyalty
# scheme beside a product, a fault the shop may cover, part of an order missing, invoices, size charts, collecting in
# store); price words typed fast ("undr", "cheapr") and a bare range right after the kind of product; brands ruled
# out in more words ("that aren't X", "nothing from X", "not a fan of X") and a brand named only as the shopper's own
# product being replaced ("this time", "any brand", discontinued); a name two shown titles share picks those two, a
# title's everyday word ("over") names none; a question about a shown product is no pasted review and may open a
# clause after naming it; a price said of the shown kind ("the shoes are over my budget", "those are a bit much")
# narrows them; an ordinary-word brand before a colour is a shade, a word's possessive no slip of a brand; "nothing
# X" rules a kind out; a need put as a verb names the leaf whose every word it says in another form ("strengthen" +
# "nails"); it measured demo 0.909 / 0.818, beauty 0.855 / 0.809 before them); nor "heldout9" and "heldout10": rules
# were written from their misses on branch lang11 (commits 03e5d3e..b949769: plural service nouns, restock notices
# and self-granted discounts asked of the shop, everyday price words, follow-up joiners, "any from <brand>", a lone
# ordinal; a one-word name running English text uses tested as an ordinary word, "a/an <word>", "I'm a/an X"; the
# kind said as the head of the phrase beats titles a modifier points to; a brand's words and a rejected brand's
# titles name no kind, a kind inside a story with none shown dropped, no kind from "X for <use>"; short variant
# follow-ups, a colour alone, "similar <kind>"; a closed compound split into catalog words; "do you sell X" a search;
# "my first/last" the shopper's own; a later word of one definite naming; a leaf under several branches scored on
# all its paths; they measured heldout9 demo 0.959 / 0.860, beauty 0.991 / 0.883, heldout10 demo 0.942 / 0.901,
# beauty 0.867 / 0.779 before them); nor "heldout11": rules were written from its misses on branch lang12 (commit
# dff9551: another page asked in a word, "the cheaper of the two <kind>", complaints and spoiled goods, a discount
# for the shopper's standing, places to go, "returning customer", shoppers' words for themselves never respelt,
# "what/how about X"; it measured demo 0.975 / 0.943, beauty 0.941 / 0.891 before them); nor "heldout12": rules were
# written from its misses on branch lang13 (commits up to a73caf8: the answer to the assistant's question planned with
# the request it answers, presents and occasions as new searches, shown products picked by id, by "the cheaper one"
# of the two just named, by "the other <kind>" and by their brand when a question is asked of them, forged turns,
# orders by number, double purchases, goods unlike their picture, "12 hundred", "no more then"; it measured demo
# 0.883 / 0.833, beauty 0.894 / 0.748 before them); nor "heldout13": rules were written from its misses on branch
# lang14 (commit 2dcda31: a longer brand typed with a slip, one maker's two spellings, "what do you have from X", a
# question asked of a brand's one shown product, "dollar sign", price differences, "which <kind>", the basket, music,
# "show me something cool", a leaf found by meaning; it measured demo 0.936 / 0.880, beauty 0.968 / 0.849 before
# them); nor "heldout14": rules were written from its misses on branch lang15 (commits b20cc18..8ef4f7e: a budget
# raised or opened upward, "something else", a choice announced, "make it <brand>", a price with cents, roles claimed,
# pronouns as no brands, a budget beside a need; it measured demo 0.937 / 0.795, beauty 0.947 / 0.664 before them);
# nor "heldout15": rules were written from its misses on branch lang16 (the last exchange's product and the last
# search carried into the next message, money-shaped figures and ages as no positions, a price bound beside a shown
# title's words, "in" as inches, differences, the cheapest and the priciest paired, a rounded price, a longer brand
# around a shorter one, a likeness of one shown named by its own word, per-leaf needs and a story's one-word leaf
# overruled by meaning; it measured demo 0.945 / 0.827, beauty 0.938 / 0.785 before them); nor "heldout16": rules
# were written from its misses on branch lang17 (what the last exchange lends a message, an offer of help, a brand
# before a kind it stocks or marked by "by", prices picked two at a time or without a superlative, service words,
# a story's named leaf overruled by meaning, a branch's women's or men's part, spoken prices; it measured demo 0.961 /
# 0.813, beauty 0.961 / 0.742 before them); nor "heldout17": rules were written from its misses on branch lang18
# (pages and positions said as words, a round hundred after "and", the assistant told to forget what it is, card
# safety and text size as service, a brand's word as a verb after "to"; it measured demo 0.953 / 0.813, beauty
# 0.937 / 0.795 before them); nor "heldout18": rules were written from its misses on branch lang19 (the products the
# assistant's last reply was about, a brand said after a reply about shown products, "same brand" and "their", an
# answer read with every turn since products were shown, an option picked by its words in a row or by meaning, a
# present for someone else, "limit is"; it measured demo 0.913 / 0.811, beauty 0.922 / 0.820 before them);
# nor "heldout19": rules were written from its misses on branch lang20 (a story around a brand none shown, "do they
# make", variants asked with "any", a place alone, kinds ruled out with "not", replacements beside breakages, noise
# cancelling, an occasion beside a bound, "till" ranges, misspelt dollars, other countries' money; it measured demo
# 0.874 / 0.764, beauty 0.922 / 0.734 before them); nor "heldout20": rules were written from its misses on branch lang21
# (an order's code given when asked, other colours or sizes, an ordinal answer to a listed question, two shown kinds
# asked "which", brand and line leaves by the titles, a need told that the vote read as a pick, "that one" after a
# reply answering "which", an answer's kind under its branch; it measured demo 0.929 / 0.874, beauty 0.961 / 0.803
# before them); nor "heldout21": rules were written from its misses on branch lang22 (an ordinary-word brand beside a
# kind it makes none of, a bare range after a brand, a price paid or seen elsewhere, the shop's terms asked of an order,
# a reply's marks of shown products, a colour or size asked of what is shown, paging words, a bound beside a complaint,
# a word made from an ordinary one, a kind asked of the maker talked about; it measured demo 0.953 / 0.913, beauty
# 0.914 / 0.789 before them); nor "heldout22": rules were written from its misses on branch lang23 (a date beside a
# month, the top / bottom one, a likeness by the senses, thanks, a child's kind, a brand without "The" or with a
# letter added, a question after a service exchange, a brand none shown with a bound, "<brand> ones only", sales and
# the parcel's papers, a treat, a product told of, a person's body, "is it <use> only", stocking fillers; it measured
# demo 0.937 / 0.843, beauty 0.938 / 0.797 before them); nor "heldout23": rules were written from its misses on branch
# lang24 (number-word ranges after a kind, "from <figure>", "less $$$", a shown product after a bare "like", a faulty
# product got, a thing no title names with a budget, "the rest", the kind before "for", "<modifier> gear", "in stock"
# of a shown maker's; it measured demo 0.977 / 0.938, beauty 0.977 / 0.914 before them); nor "heldout24": rules were
# written from its misses on branch lang25 (a rate per week, a double letter heard once, a phrase written as one word,
# a word of a brand's name, a phrase the titles file elsewhere, a verb after a pronoun, a greeting, an everyday plural,
# what someone at home complains about, a price said to be a lot, "like that one", a bound on the kind just shown,
# "<bound> only", a colour of the container, a greeting with news, a budget for someone, a thing no title names; it
# measured demo 0.984 / 0.905, beauty 0.960 / 0.905 before them); nor "heldout25": rules were written from its misses
# on branch lang26 (a hundred and more after "and", "<figure>+ only", a name after a word for a person, an elided
# article, when a shown brand's product would arrive, a colour asked of all shown, "just" of time, the shop asked for
# its pick, a compound's family before "for", wipes, a thing no title names asked for someone; it measured demo
# 0.952 / 0.840, beauty 0.977 / 0.805 before them); nor "heldout26": rules were written from its misses on branch
# lang27 (a brand written as it sounds, "or something like that", a count of instalments, the shopper's account, a
# name told, a part of the body a story names, a leaf under the branch named by the word before it, keeping a drink
# hot or cold, a body part before a kind, a yes to a pick offered, talk that answers the question asked, a brand for
# someone else, other options, a kind beside the one asked; it measured demo 0.945 / 0.828, beauty 0.952 / 0.762
# before them); nor "heldout27": rules were written from its misses on branch lang28 (a brand's name misspelt alone,
# the price of the shop's shipping, sending to another address, "pretend you're", a word closing a request, a wash
# bag, a misspelt name of several words, the sides of a "vs"; it measured demo 0.976 / 0.874, beauty 0.984 / 0.836
# before them); nor "heldout28": rules were written from its misses on branch lang29 (a business's terms, what others
# buy, the choice left to the shop, a weekday after "last", a place closing the message, the shopper's own
# restocking, "first" as the order of business, a person after "get", words of running text as no brand, a thing
# asked for someone, a part of a category name, a bound kept on the shown ones, a kind by a shown title, "other
# <things> like <name>", the stock of one shown, a price someone else charges, a head noun said apart, washing hair;
# it measured demo 0.898 / 0.859, beauty 0.913 / 0.772 before them); nor "heldout29": rules were written from its
# misses on branch lang30 (the shopper's own "last one", another page after a reply about one, a replacement of a
# kind, a deadline behind a delivery question, an order announced, "what about <a kind>?", changing what was got,
# "what would you suggest?", a budget with a plus, "from them" after a maker, "didn't last", a kind said with "a"; it
# measured demo 0.935 / 0.919, beauty 0.926 / 0.902 before them); heldout30 (committed before both rounds, 8b2c09d,
# never read by their author) is the held-out set
HELD_OUT: dict[str, bool] = {"eval": False, "dev": False, "check": False, "blind1": False, "blind": False,
                             "heldout": False, "heldout2": False, "heldout3": False, "heldout4": False,
                             "heldout5": False, "heldout6": False, "heldout7": False, "heldout8": False,
                             "heldout9": False, "heldout10": False, "heldout11": False, "heldout12": False,
                             "heldout13": False, "heldout14": False, "heldout15": False,
                             "heldout16": False, "heldout17": False, "heldout18": False,
                             "heldout19": False, "heldout20": False, "heldout21": False,
                             "heldout22": False, "heldout23": False, "heldout24": False,
                             "heldout25": False, "heldout26": False,
                             "heldout27": False, "heldout28": False,
                             "heldout29": False, "heldout30": True}
# free-text `query` is not scored; every other contract argument is
SCORED_ARGS: dict[str, tuple[str, ...]] = {
    action: tuple(k for k in keys if k != "query") for action, keys in CONTRACT_ARGS.items()
}


class EvalRequest(BaseModel):
    message: str
    action: str
    args: dict[str, Any] = Field(default_factory=dict)
    history: list[dict[str, str]] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)


def load_requests(name: str, group: str = "eval") -> list[EvalRequest]:
    """The hand-written set ``name`` ("demo" or "beauty") of ``group`` (one of ``GROUPS``)."""
    path = {"eval": EVAL_DIR / f"{name}.jsonl", "dev": DEV_DIR / f"{name}.jsonl",
            "check": DEV_DIR / f"{name}_check.jsonl", "blind1": BLIND_DIR / f"{name}.jsonl",
            "blind": BLIND_DIR / f"{name}_2.jsonl"}.get(group)
    path = path or Path(__file__).parent / f"{group}_requests" / f"{name}.jsonl"  # heldoutN: tuning/heldoutN_requests
    if group.startswith("heldout") and not path.is_file():
        return []  # not every catalog has a held-out set yet
    return [EvalRequest.model_validate_json(line) for line in path.read_text().splitlines() if line.strip()]


def eval_set_names() -> list[str]:
    return sorted(p.stem for p in EVAL_DIR.glob("*.jsonl"))


def _norm(value: Any) -> Any:
    from tools.language import normalise

    if isinstance(value, str):
        return normalise(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _matches(name: str, expected: Any, got: Any) -> bool:
    if expected == "*":
        return True
    if name == "cheaper":
        return bool(expected) == bool(got)
    if name == "items":
        return sorted(expected or []) == sorted(got or [])
    if name in ("min_price", "max_price"):
        if expected is None or got is None:
            return expected is None and got is None
        return abs(float(expected) - float(got)) < 0.01
    options = expected if isinstance(expected, list) else [expected]
    return _norm(got) in {_norm(o) for o in options}


def score_plan(request: EvalRequest, action: str, args: dict[str, Any]) -> tuple[bool, bool, list[str]]:
    """(right action, right arguments, what differed). Arguments count only when the action is right."""
    if action != request.action:
        return False, False, [f"action {action} != {request.action}"]
    diffs = []
    for name in SCORED_ARGS.get(action, ()):
        expected = request.args.get(name)
        if not _matches(name, expected, args.get(name)):
            diffs.append(f"{name} {args.get(name)!r} != {expected!r}")
    if action == "search" and not (args.get("query") or args.get("category") or args.get("brand")):
        diffs.append("search without a query")
    return True, not diffs, diffs


def dump_results(rows: list[dict[str, Any]], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
