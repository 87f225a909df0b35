"""Each page's logic under Streamlit's AppTest: clear states, the calls it makes, what it shows."""

from __future__ import annotations

from pathlib import Path

import pytest


def _texts(elements) -> list[str]:  # noqa: ANN001
    return [str(e.value) for e in elements]


def _viewer(kind: str, name: str, shopper_id: str | None = None):  # noqa: ANN202
    from ui.auth import Viewer

    return Viewer(kind=kind, name=name, username=name, shopper_id=shopper_id, key=f"{kind}:{name}")


def _cards(at) -> list[str]:  # noqa: ANN001
    """The titles on the product cards, in page order (each starts with its [n])."""
    return [m.value for m in at.markdown if str(m.value).startswith("**[")]


def test_chat_streams_answer_with_numbered_cards_trace_and_llm_banner(run_page, make_toolbox, make_agent) -> None:  # noqa: ANN001
    at = run_page("chat", make_toolbox(agent=make_agent()))
    assert any("shopagent llm serve" in w for w in _texts(at.warning))  # LLM down: banner, page still usable
    at.chat_input[0].set_value("show me tents").run()
    assert not at.exception
    assert [m.name for m in at.chat_message] == ["user", "assistant"]
    answer = at.chat_message[1].markdown[0].value
    cards = _cards(at)
    assert "tent" in answer.lower() and len(cards) >= 2
    for n, card in enumerate(cards, start=1):  # the cards carry the answer's numbers, in order
        assert card.startswith(f"**[{n}] ")
        assert f"[{n}]" in answer
    assert any(e.label.startswith("Tool trace (") for e in at.expander)  # the owner sees the trace
    assert at.query_params["c"] == at.session_state["thread_id"]  # the conversation is in the URL


def test_ask_about_a_card_describes_exactly_that_product(run_page, make_toolbox, make_agent) -> None:  # noqa: ANN001
    at = run_page("chat", make_toolbox(agent=make_agent()))
    at.chat_input[0].set_value("show me tents").run()
    tid = at.session_state["thread_id"]
    second = at.session_state["toolbox_override"].agent().shown(tid, "owner:owner")[0]["products"][1]
    asks = [b for b in at.button if b.label == "Ask about this"]
    asks[1].click().run()
    assert not at.exception
    users = [m.markdown[0].value for m in at.chat_message if m.name == "user"]
    assert users[-1].startswith("Tell me more about [2] ")
    last = at.session_state["toolbox_override"].agent().shown(tid, "owner:owner")[-1]
    assert [c["args"] for c in last["trace"]] == [{"item_id": second["id"]}]  # the card's id, not a title search
    assert last["products"][0]["id"] == second["id"] and last["products"][0]["position"] == 2


def test_empty_chat_greets_with_example_requests(run_page, make_toolbox, make_agent) -> None:  # noqa: ANN001
    at = run_page("chat", make_toolbox(agent=make_agent()), viewer=_viewer("anonymous", "v1"))
    assert [m.name for m in at.chat_message] == ["assistant"]
    assert at.chat_message[0].markdown[0].value.startswith("Hi! I can find products")
    examples = [b for b in at.button if b.key and b.key.startswith("example-")]
    assert len(examples) == 3
    examples[0].click().run()
    assert not at.exception
    assert [m.name for m in at.chat_message] == ["user", "assistant"] and _cards(at)


def test_a_shopper_sees_no_developer_details(run_page, make_toolbox, make_agent, demo_catalog) -> None:  # noqa: ANN001
    shopper = _viewer("shopper", "ava", demo_catalog.users()[0])
    at = run_page("chat", make_toolbox(agent=make_agent()), viewer=shopper)
    assert not at.warning  # no "LLM server at http://..." banner
    assert not any("Model endpoint" in c for c in _texts(at.caption))
    assert not at.selectbox  # nobody picks who they are
    at.chat_input[0].set_value("show me tents").run()
    assert not at.expander  # no tool trace
    page = " ".join(_texts(at.markdown) + _texts(at.caption))
    for word in ("score", "sasrec", "(exact)", "1 reviews", "http://"):
        assert word not in page, word


@pytest.mark.parametrize("name", ["catalog", "studio", "evaluations"])
def test_owner_pages_refuse_a_shopper_and_a_visitor(run_page, make_toolbox, name: str) -> None:  # noqa: ANN001
    for who in (_viewer("shopper", "ava", "U00000"), _viewer("anonymous", "v1")):
        at = run_page(name, make_toolbox(), viewer=who)
        assert any("for the shop's owner" in e for e in _texts(at.error))
        assert not at.dataframe and not at.tabs


def test_a_conversation_reopens_for_its_owner_only(run_page, make_toolbox, make_agent) -> None:  # noqa: ANN001
    box = make_toolbox(agent=make_agent())
    a, b = _viewer("shopper", "ava", "U00000"), _viewer("shopper", "ben", "U00001")
    at = run_page("chat", box, viewer=a)
    at.chat_input[0].set_value("show me tents").run()
    tid = at.session_state["thread_id"]
    cards = _cards(at)

    from streamlit.testing.v1 import AppTest

    def reopen(viewer, url_tid: str):  # noqa: ANN001, ANN202 - a fresh session (a reload or a shared link)
        fresh = AppTest.from_file(str(Path(__file__).resolve().parents[2] / "ui/views/chat.py"), default_timeout=300)
        fresh.session_state["toolbox_override"] = box
        fresh.session_state["viewer_override"] = viewer
        fresh.query_params["c"] = url_tid
        return fresh.run()

    again = reopen(a, tid)
    assert not again.exception
    assert [m.name for m in again.chat_message] == ["user", "assistant"]
    assert _cards(again) == cards and again.chat_message[0].markdown[0].value == "show me tents"
    other = reopen(b, tid)
    assert any("Conversation not found" in w for w in _texts(other.warning))
    assert not other.chat_message and "tents" not in " ".join(_texts(other.markdown) + _texts(other.button))
    # the list shows only the viewer's own, titled by the first request
    next(x for x in again.button if x.label == "New conversation").click().run()
    assert any(x.label.startswith("**show me tents**") for x in again.button)
    assert not any(x.label.startswith("**show me tents**") for x in other.button)


def test_what_a_visitor_looked_at_feeds_their_picks(run_page, make_toolbox, make_agent) -> None:  # noqa: ANN001
    at = run_page("chat", make_toolbox(agent=make_agent()), viewer=_viewer("anonymous", "v2"))
    at.chat_input[0].set_value("show me tents").run()
    tid = at.session_state["thread_id"]
    agent = at.session_state["toolbox_override"].agent()
    looked = agent.shown(tid, "anonymous:v2")[0]["products"][0]["id"]
    [b for b in at.button if b.label == "Ask about this"][0].click().run()
    at.chat_input[0].set_value("what would you recommend for me?").run()
    last = agent.shown(tid, "anonymous:v2")[-1]
    call = next(c for c in last["trace"] if c["name"] == "recommend_for_user")
    assert call["args"]["history"] == [looked] and call["args"].get("user_id") is None


def test_chat_new_conversation_starts_an_empty_thread(run_page, make_toolbox, make_agent) -> None:  # noqa: ANN001
    at = run_page("chat", make_toolbox(agent=make_agent()))
    at.chat_input[0].set_value("show me tents").run()
    first = at.session_state["thread_id"]
    next(b for b in at.button if b.label == "New conversation").click().run()
    assert at.session_state["thread_id"] != first
    assert [m.name for m in at.chat_message] == ["assistant"]  # the greeting only
    assert not at.query_params.get("c")


def test_empty_catalog_prompts_to_load_demo_data(run_page, data_dir: Path, monkeypatch) -> None:  # noqa: ANN001
    from shopagent.services import Services
    from core.config import Settings

    monkeypatch.setenv("SHOPAGENT_LLM_URL", "http://127.0.0.1:9/v1")
    at = run_page("catalog", Services(Settings(data_dir=data_dir, llm_url="http://127.0.0.1:9/v1")))
    assert any("no catalog yet" in i for i in _texts(at.info))
    assert not at.tabs
    next(b for b in at.button if b.label == "Load demo data").click().run()
    assert not at.exception
    from tools.catalog.store import Catalog

    assert len(Catalog.open(data_dir)) > 0
    assert [t.label for t in at.tabs] == ["Browse & search", "Shoppers"]


def test_catalog_search_filters_and_shopper_recommendations(run_page, make_toolbox, demo_catalog) -> None:  # noqa: ANN001
    at = run_page("catalog", make_toolbox())  # the owner's page
    at.text_input(key="cat_query").set_value("tent").run()
    results = at.dataframe[0].value
    assert len(results) > 0 and results["title"].str.contains("Tent", case=False).all()
    at.slider(key="cat_price").set_value((0.0, 300.0)).run()
    results = at.dataframe[0].value
    assert len(results) > 0 and (results["price"] <= 300).all()
    user = demo_catalog.users()[0]
    at.selectbox(key="cat_user").set_value(user).run()
    history, recs = at.dataframe[1].value, at.dataframe[2].value
    assert len(history) == min(30, len(demo_catalog.profile(user).history))
    assert len(recs) == 8 and recs["because"].str.len().gt(0).all()


def _ok_llm(box):  # noqa: ANN001, ANN202
    from shopagent.services import LLMStatus

    box.llm_status = lambda refresh=False: LLMStatus(url="http://llm", ok=True, model="m")
    return box


def test_studio_generates_copy_and_highlights_unsupported_claims(run_page, make_toolbox) -> None:  # noqa: ANN001
    at = run_page("studio", _ok_llm(make_toolbox()))
    assert not at.warning
    first = at.multiselect(key="studio_products").options[0]
    at.multiselect(key="studio_products").set_value([first]).run()
    at.selectbox(key="studio_tone").set_value("premium").run()
    at.button(key="studio_generate").click().run()
    assert not at.exception
    md = _texts(at.markdown)
    assert any(m.startswith("#### Copy for ") for m in md)
    assert ":red-background[Waterproof to 10,000 mm] — no waterproof rating in the facts" in md


def test_studio_batch_writes_jsonl_for_download(run_page, make_toolbox, monkeypatch) -> None:  # noqa: ANN001
    import json

    from shopagent.services import Services
    from tools.describe import BatchReport

    def fake_many(box, requests, out_path, on_result=None, concurrency=8):  # noqa: ANN001, ANN202
        report = BatchReport()
        with open(out_path, "a") as f:
            for r in requests:
                result = box.describe(r)
                f.write(result.model_dump_json() + "\n")
                report.done += 1
                on_result(result)
        return report

    monkeypatch.setattr(Services, "describe_many", fake_many)
    at = run_page("studio", _ok_llm(make_toolbox()))
    at.number_input(key="studio_batch_n").set_value(5).run()
    at.button(key="studio_batch").click().run()
    assert not at.exception
    assert any("5 written, 0 failed" in s for s in _texts(at.success))
    lines = at.session_state["studio_batch_file"].decode().splitlines()
    assert len(lines) == 5 and all(json.loads(x)["product_copy"]["title"].startswith("Copy for") for x in lines)
    assert at.get("download_button")


def test_studio_without_llm_shows_banner_and_disables_generate(run_page, make_toolbox) -> None:  # noqa: ANN001
    at = run_page("studio", make_toolbox())
    assert any("Generating copy needs it" in w for w in _texts(at.warning))
    assert at.button(key="studio_generate").disabled


def _write_result(root: Path, model: str, scores: dict[str, float], created: str) -> None:
    from evals.report import SuiteResult, TaskScore

    tasks = [TaskScore(task=t, skill="reasoning" if t.startswith("r") else "knowledge", metric="accuracy", score=s,
                       n=10, answered=10) for t, s in scores.items()]
    result = SuiteResult.from_tasks("shopping-mmlu", model, tasks, seconds=1.0)
    result.created_at = created
    d = root / "shopping-mmlu" / model
    d.mkdir(parents=True)
    (d / "results.json").write_text(result.model_dump_json())


def test_evaluations_leaderboard_and_two_models_compared(run_page, make_toolbox, tmp_path: Path) -> None:  # noqa: ANN001
    _write_result(tmp_path, "small", {"r1": 0.2, "k1": 0.4}, "2026-01-01T00:00:00Z")
    _write_result(tmp_path, "tuned", {"r1": 0.5, "k1": 0.6}, "2026-01-02T00:00:00Z")
    at = run_page("evaluations", make_toolbox())
    assert any("No evaluation reports" in i for i in _texts(at.info))
    at.text_input(key="eval_dir").set_value(str(tmp_path)).run()
    assert not at.exception
    board = at.dataframe[0].value
    assert board["model"].tolist() == ["tuned", "small"]  # best overall first
    assert board["overall"].tolist() == pytest.approx([0.55, 0.3])
    compare = at.dataframe[1].value.set_index("task")
    assert compare.loc["r1", "B - A"] == pytest.approx(0.3)


def test_evaluation_tasks_are_named_and_multiple_choice_has_a_chance_level() -> None:
    from evals.report import TaskScore, choice_chance, task_label

    kdd = TaskScore(task="task7", skill="amazon-kdd-cup-24-shopping-concept-understanding", metric="accuracy",
                    score=0.5, n=10, answered=10, task_type="multiple-choice")
    assert task_label(kdd) == "shopping concept understanding 7 (multiple choice)"
    assert task_label(kdd.model_copy(update={"task": "gen_title_to_category"})) == "title to category"
    assert choice_chance(["Which?\n0. a\n1. b\n2. c\n3. d\nAnswer: ", "Which?\n0. a\n1. b\nAnswer: "]) == \
        pytest.approx((0.25 + 0.5) / 2)
    assert choice_chance(["Write a title for this product."]) is None


def test_the_first_chat_page_does_not_wait_for_the_engines(run_page, make_toolbox) -> None:  # noqa: ANN001
    box = make_toolbox()  # no agent injected: opening one would load the engines and the checkpointer
    at = run_page("chat", box, viewer=_viewer("anonymous", "v3"))
    assert not box.agent_ready()  # the greeting and the chat box were drawn without it
    assert any("I can find products" in str(m.value) for m in at.markdown)
    assert at.chat_input


def test_evaluations_shows_the_converse_arms_and_the_hit_by_turn_plot(run_page, make_toolbox, tmp_path: Path) -> None:  # noqa: ANN001
    from evals.converse.metrics import figures
    from evals.converse.runner import ConverseResult
    from evals.converse.suite import write_converse_report

    agent, miss = figures([1, 2, None, 3], 5, 0), figures([None, None, 1, None], 5, 0)
    result = ConverseResult(agent=agent, baselines={b: miss for b in ("recommender", "first_search",
                                                                      "all_cues_search", "anonymous")},
                            ablations={"no_shopper_rank": miss}, shoppers=4, turns=5, seed=0, seconds=1.0,
                            simulator="rule", planner="rules", replies="templates", workers=1,
                            hit_by_turn={"agent": agent.hit_at, "recommender": miss.hit_at})
    write_converse_report(result, [], tmp_path, "m")
    at = run_page("evaluations", make_toolbox())
    at.text_input(key="eval_dir").set_value(str(tmp_path)).run()
    assert not at.exception
    arms = next(d.value for d in at.dataframe if "arm" in d.value.columns).set_index("arm")
    assert arms.loc["agent", "hit@5"] == pytest.approx(0.75)
    assert set(arms.index) >= {"recommender", "first_search", "all_cues_search", "anonymous", "no_shopper_rank"}
    assert [type(e).__name__ for e in at.main].count("Image") == 1  # the hit@k-by-turn plot
