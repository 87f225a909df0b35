"""`bench replies` end to end on a scripted model: both designs side by side, the injected catalog compared."""

from __future__ import annotations

from fixtures.agent import ScriptedChatModel, faithful_reply


def test_bench_replies_measures_both_designs_and_the_injected_catalog(tmp_path) -> None:  # noqa: ANN001
    from shopagent.bench.replies import RATES, run_replies_bench
    from core.config import Settings

    def looping(prompt: str) -> str:  # faithful as a lead, a looping echo as free text
        if "One sentence:" in prompt:
            return faithful_reply(prompt)
        return "Shopper: hi. The product is great. The product is great. The product is"

    result = run_replies_bench(Settings(data_dir=tmp_path), catalogs=("demo",), conversations_per_catalog=2,
                               chat_model=ScriptedChatModel(script=looping, prompts=[], calls=[]))
    assert result.turns == 16 and result.catalogs == {"demo": 16}
    assert set(result.actions) >= {"search", "refine", "describe", "compare", "similar", "recommend", "chat"}
    assert all(getattr(result.lead, k) == 0 for k in RATES) and result.fallback_rate == 0
    assert result.free.scaffold > 0.5 and result.free.repeated > 0.5 and result.free.truncated > 0.5
    assert result.free.withdrawn_stream > 0.5  # the old design streamed what the check then replaced
    assert result.injection["planted"] >= 0.05 * result.injection["products"] and result.injection_effect == 0
    assert result.chat_template_rate == 0.25 and result.reply_p95_ms > 0


def test_generated_conversations_cover_every_action_from_the_catalog_itself(agent_vocab_catalog) -> None:  # noqa: ANN001
    from shopagent.bench.replies import conversations

    scripts = conversations(agent_vocab_catalog, 4, seed=0)
    assert len(scripts) == 4 and all(len(s.turns) == 8 for s in scripts)
    assert any("$" in s.turns[0] or "dollars" in s.turns[0] for s in scripts)
    assert scripts == conversations(agent_vocab_catalog, 4, seed=0)  # seeded
