"""The LLM shopper with a scripted model: told never to name the target, and held to it."""

from __future__ import annotations

from tests.fixtures.agent import ScriptedChatModel

from evals.converse.llm_simulator import LLMShopper, names_target
from evals.converse.simulator import Record, TitleWords

TARGET = Record(id="B00TARGET1", title="Neutrogena Hydro Boost Water Gel Moisturizer", brand="Neutrogena",
                categories=["Beauty", "Skin Care", "Face", "Creams & Moisturizers"], price=17.5)
WORDS = TitleWords([TARGET.title, "Olay Hydro Night Cream", "Aveeno Water Gel", "Boost Mask",
                    *[f"other thing {i}" for i in range(40)]])
SHOWN = [Record(id="x1", title="Olay Hydro Night Cream", brand="Olay", categories=TARGET.categories, price=25.0)]


def test_the_instruction_forbids_the_name_and_carries_only_the_record() -> None:
    model = ScriptedChatModel(script=lambda prompt: "I'm after a face moisturizer")
    model.prompts = []
    sim = LLMShopper(TARGET, model, WORDS, seed=0)
    cue = sim.opening()
    assert cue.kind == "llm" and cue.text == "I'm after a face moisturizer"
    prompt = model.prompts[0]
    assert "Never say the target's name" in prompt
    assert "Neutrogena" in prompt and "between $10 and $20" in prompt and "creams and moisturizers" in prompt
    assert TARGET.title not in prompt and TARGET.id not in prompt


def test_each_turn_sees_the_shown_products_and_what_was_said() -> None:
    replies = iter(["a moisturizer please", "Neutrogena, please"])
    model = ScriptedChatModel(script=lambda prompt: next(replies))
    model.prompts = []
    sim = LLMShopper(TARGET, model, WORDS, seed=0)
    sim.opening()
    cue = sim.next_cue(SHOWN, 1)
    assert cue.text == "Neutrogena, please"
    assert "[1] Olay Hydro Night Cream" in model.prompts[-1] and "a moisturizer please" in model.prompts[-1]


def test_a_message_naming_the_target_is_replaced_by_the_rule_cue_and_counted() -> None:
    model = ScriptedChatModel(script=lambda prompt: "I want the Neutrogena Hydro Boost Water Gel Moisturizer")
    sim = LLMShopper(TARGET, model, WORDS, seed=0)
    cue = sim.opening()
    assert cue.kind == "opening" and "Hydro Boost" not in cue.text
    assert sim.leaks == 1
    cue = sim.next_cue(SHOWN, 1)
    assert cue.kind != "llm" and sim.leaks == 2


def test_names_target_catches_the_id_and_the_title_not_a_shared_word() -> None:
    assert names_target("is it B00TARGET1?", TARGET)
    assert names_target("hydro boost water gel moisturizer", TARGET)
    assert not names_target("something hydro for my face", TARGET)
    assert not names_target("Neutrogena please", TARGET)
