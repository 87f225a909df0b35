"""Chat turns (greetings, thanks, off-topic, service questions, injected instructions): short replies that steer
back to shopping, chosen by intent. Never a general-knowledge answer, never a persona, never the rules themselves."""

from __future__ import annotations

import re
from typing import Literal

ChatIntent = Literal["greeting", "thanks", "goodbye", "service", "injection", "off_topic", "help"]

REPLIES: dict[str, str] = {
    "greeting": "Hello! I can search this shop's products, recommend some, compare them and tell you more about "
                "one. What are you looking for?",
    "thanks": "You're welcome! Is there anything else you would like to find in the shop?",
    "goodbye": "Thanks for visiting the shop. Come back any time you need something.",
    "service": "I can't see orders, shipping, payments or returns; the shop's customer service can help with "
               "those. I can search, compare and describe products for you.",
    "injection": "I can't change how I work, but I'm happy to help you shop. What are you looking for?",
    "off_topic": "I can only help with this shop's products. Tell me what you'd like to find and I'll search for it.",
    "help": "I'm the shop's assistant. I can search products, recommend, compare and describe them. "
            "What are you looking for?",
}

_GREETING = re.compile(r"^\W*(hi|hello|hey|hiya|howdy|good (morning|afternoon|evening)|greetings|yo)\b", re.I)
_THANKS = re.compile(r"\b(thanks?|thank you|thx|cheers|much appreciated|great,? thanks)\b", re.I)
_GOODBYE = re.compile(r"\b(bye|goodbye|see you|that'?s all|i'?m done|have a (good|nice) (day|one))\b", re.I)
# the rule planner's notes name the rule that chose "chat" ("rule: injection", "rule: off topic", ...)
_BY_RULE = {"injection": "injection", "code": "off_topic", "pasted review": "help", "service question": "service",
            "off topic": "off_topic"}


def chat_intent(message: str, notes: list[str] | None = None) -> ChatIntent:
    """Which template answers a chat turn: the planner's rule when it named one, else the message's words."""
    for note in notes or []:
        if note.startswith("rule: ") and (intent := _BY_RULE.get(note[6:])):
            return intent  # type: ignore[return-value]
    if _THANKS.search(message):
        return "thanks"
    if _GOODBYE.search(message):
        return "goodbye"
    if _GREETING.search(message):
        return "greeting" if len(message.split()) <= 6 else "help"
    return "off_topic" if "?" in message else "help"


def chat_reply(message: str, notes: list[str] | None = None) -> str:
    return REPLIES[chat_intent(message, notes)]


def policy_reply(policy: dict) -> str:
    """A service answer from the shop's policy, quoted as the shop wrote it (``agent.nodes.chat``), never
    generated: the section the question is about; for an order's status, that only the order system knows."""
    kind, text, section = policy.get("kind"), policy.get("text") or "", policy.get("section") or ""
    if kind == "order_system":
        said = f' The shop\'s policy says: "{text}"' if text else " The shop's customer service can look it up."
        return "I can't see orders or their status: only the shop's order system has them." + said
    if kind == "passage" and text:
        return f'From the shop\'s policy ({section}): "{text}"'
    if kind == "none":
        contact = policy.get("contact") or ""
        ask = f' To ask the shop: "{contact}"' if contact else " The shop's customer service can answer it."
        return "The shop's policy doesn't cover that." + ask
    return REPLIES["service"]
