"""The agent's scenarios on the real embedded vLLM (SmolLM2-135M): every turn runs end to end, plans and tool
calls are right, answers are grounded; how many replies the model writes acceptably is reported."""

from __future__ import annotations

import pytest
from fixtures.agent import FlakySearch, agent_scenarios, catalog_tools

from evals.agent.judge import judge_turn


@pytest.mark.integration
def test_scenarios_on_embedded_model(llm_endpoint, agent_vocab_catalog, rule_planner, tmp_path) -> None:  # noqa: ANN001
    from agent.deps import AgentDeps
    from agent.runtime import AgentRuntime
    from agent.toolbox import default_registry
    from core.llm.client import chat_model

    c = agent_vocab_catalog
    ctx = catalog_tools(c, search=FlakySearch(c))
    deps = AgentDeps(catalog=c, vocab=rule_planner.vocab, planner=rule_planner, registry=default_registry(ctx),
                     chat_model=chat_model(llm_endpoint, temperature=0.0, max_tokens=48))
    from agent.checkpoint import open_checkpointer

    passed, structural_failures, report = 0, [], []
    with open_checkpointer(f"sqlite:///{tmp_path / 'cp.sqlite'}") as saver:
        agent = AgentRuntime(deps, saver)
        for scenario in agent_scenarios():
            previous, fails = None, []
            for turn in scenario.turns:
                r = agent.run_turn(scenario.name, turn.message, user_id=turn.user_id)
                assert r.answer and r.grounded, (scenario.name, r)
                fails += judge_turn(r, turn.expect, c, previous)
                structural_failures += [f"{scenario.name}: {f}" for f in judge_turn(
                    r, turn.expect.model_copy(update={"model_reply": False}), c, previous)]
                previous = r
            passed += not fails
            report.append(f"{scenario.name}: {'pass' if not fails else '; '.join(fails)}")
    print(f"\nembedded agent scenarios: {passed}/{len(report)} pass\n" + "\n".join(report))
    assert structural_failures == []
