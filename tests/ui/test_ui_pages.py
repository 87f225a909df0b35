"""Each page's logic under Streamlit's AppTest: clear states, the calls it makes, what it shows."""

from __future__ import annotations

from pathlib import Path

import pytest


def _texts(elements) -> list[str]:  # noqa: ANN001
    return [str(e.value) for e in elements]


def test_chat_streams_answer_with_cards_trace_and_llm_banner(run_page, make_toolbox, make_agent) -> None:  # noqa: ANN001
    at = run_page("chat", make_toolbox(agent=make_agent()))
    assert any("shopagent llm serve" in w for w in _texts(at.warning))  # LLM down: banner, page still usable
    at.chat_input[0].set_value("show me tents").run()
    assert not at.exception
    assert [m.name for m in at.chat_message] == ["user", "assistant"]
    answer = at.chat_message[1].markdown[0].value
    asks = [b for b in at.button if b.label == "Ask about this"]
    assert asks and "tent" in answer.lower()
    assert any(e.label.startswith("Tool trace (") for e in at.expander)
    asks[0].click().run()  # a card's button asks about that product
    assert not at.exception
    users = [m.markdown[0].value for m in at.chat_message if m.name == "user"]
    assert users[-1].startswith("Tell me more about ")


def test_chat_new_conversation_starts_an_empty_thread(run_page, make_toolbox, make_agent) -> None:  # noqa: ANN001
    at = run_page("chat", make_toolbox(agent=make_agent()))
    at.chat_input[0].set_value("show me tents").run()
    first = at.session_state["thread_id"]
    next(b for b in at.button if b.label == "New conversation").click().run()
    assert at.session_state["thread_id"] != first
    assert not at.chat_message
    assert any(b.label == first for b in at.button)  # the old thread is listed under past conversations


def test_empty_catalog_prompts_to_load_demo_data(run_page, data_dir: Path, monkeypatch) -> None:  # noqa: ANN001
    from shopagent.api.toolbox import Toolbox
    from core.config import Settings

    monkeypatch.setenv("SHOPAGENT_LLM_URL", "http://127.0.0.1:9/v1")
    at = run_page("catalog", Toolbox(Settings(data_dir=data_dir, llm_url="http://127.0.0.1:9/v1")))
    assert any("no catalog yet" in i for i in _texts(at.info))
    assert not at.tabs
    next(b for b in at.button if b.label == "Load demo data").click().run()
    assert not at.exception
    from tools.catalog.store import Catalog

    assert len(Catalog.open(data_dir)) > 0
    assert [t.label for t in at.tabs] == ["Browse & search", "Shoppers"]


def test_catalog_search_filters_and_shopper_recommendations(run_page, make_toolbox, demo_catalog) -> None:  # noqa: ANN001
    at = run_page("catalog", make_toolbox())
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
    from shopagent.api.toolbox import LLMStatus

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

    import shopagent.api.toolbox as toolbox_module
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

    monkeypatch.setattr(toolbox_module, "describe_many", fake_many)
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
