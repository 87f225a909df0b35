"""Evaluations: load report folders, leaderboard per suite, per-skill and per-task charts, two models compared."""

from __future__ import annotations

from pathlib import Path

import altair as alt
import pandas as pd
import streamlit as st

from evals.report import default_reports_dir, leaderboards, load_results, model_report_dir, short_skill, task_label
from ui.auth import require_owner
from ui.lib import guard, sidebar_status, toolbox

box = toolbox()
require_owner(box.settings)
sidebar_status(box)
st.title("Evaluations")
folder = st.text_input("Report folder", str(default_reports_dir(box.settings)), key="eval_dir")
results = load_results(Path(folder)) if Path(folder).exists() else []
if not results:
    st.info(f"No evaluation reports under `{folder}`: run `shopagent eval shopping-mmlu --embedded` (or another "
            "suite), then reload.", icon=":material/bar_chart:")
    st.stop()

with guard("the evaluation view"):
    boards = leaderboards(results)
    suite = st.selectbox("Suite", [b.suite for b in boards], key="eval_suite")
    board = next(b for b in boards if b.suite == suite)
    st.subheader("Leaderboard")
    table = pd.DataFrame([{"rank": i + 1, "model": r["model"], "overall": r["overall"],
                           **{short_skill(s): r.get(s) for s in board.skills}, "questions": r["questions"]}
                          for i, r in enumerate(board.rows)])
    st.dataframe(table, hide_index=True, width="stretch", key="eval_board")

    long = pd.DataFrame([{"model": r["model"], "skill": short_skill(s), "score": r.get(s) or 0.0}
                         for r in board.rows for s in board.skills])
    st.subheader("Per skill")
    st.altair_chart(alt.Chart(long).mark_bar().encode(
        y=alt.Y("skill:N", title=None, axis=alt.Axis(labelLimit=0)), yOffset="model:N",
        x=alt.X("score:Q", scale=alt.Scale(domain=[0, 1]), title="score (0-1)"),
        color=alt.Color("model:N", legend=alt.Legend(orient="bottom")),
        tooltip=["model", "skill", alt.Tooltip("score:Q", format=".3f")]).properties(
            height=max(120, 28 * len(board.skills) * max(1, len(board.rows)))), width="stretch")

    newest = {r.model: r for r in sorted((r for r in results if r.suite == suite), key=lambda r: r.created_at)}
    models = list(newest)
    st.subheader("Per task")
    model = st.selectbox("Model", models, key="eval_model")
    tasks = pd.DataFrame([{"task": task_label(t), "id": t.task, "skill": short_skill(t.skill), "score": t.score,
                           "chance": t.chance, "n": t.n} for t in newest[model].tasks])
    tasks = tasks.sort_values("score", ascending=False, kind="stable")
    y = alt.Y("task:N", sort=tasks["task"].tolist(), title=None, axis=alt.Axis(labelLimit=0))
    bars = alt.Chart(tasks).mark_bar().encode(
        x=alt.X("score:Q", scale=alt.Scale(domain=[0, 1]), title="score (0-1)"), y=y,
        color=alt.Color("skill:N", legend=alt.Legend(orient="bottom", labelLimit=0)),
        tooltip=["task", "id", "skill", alt.Tooltip("score:Q", format=".3f"), "n",
                 alt.Tooltip("chance:Q", format=".3f")])
    chance = alt.Chart(tasks.dropna(subset=["chance"])).mark_tick(color="black", thickness=2, size=22).encode(
        x="chance:Q", y=y,
        tooltip=["task", alt.Tooltip("chance:Q", format=".3f", title="a random guess")])
    st.altair_chart((bars + chance).properties(height=max(120, 26 * len(tasks))), width="stretch")
    if tasks["chance"].notna().any():
        st.caption("Black tick: the score of a random guess on that task (multiple choice: 1 / options).")

    if suite == "converse":  # simulated shoppers: every arm with its interval, and hit@k by turn
        from evals.converse.suite import PLOT, load_figures

        report = model_report_dir(Path(folder), suite, model)
        figures = load_figures(report)
        if figures:
            st.subheader("Simulated shoppers: agent, baselines, ablations")
            arms = {"agent": figures["agent"], **figures["baselines"], **figures.get("ablations", {})}
            st.dataframe(pd.DataFrame([{"arm": name, **{f"hit@{k}": v for k, v in enumerate(f["hit_at"], 1)},
                                        "hit@turns 95% CI": f"[{f['hit5_ci95'][0]:.3f}, {f['hit5_ci95'][1]:.3f}]",
                                        "avg turns": f["avg_turns"]} for name, f in arms.items()]),
                         hide_index=True, width="stretch", key="eval_converse")
            st.caption(f"{figures['shoppers']} shoppers, seed {figures['seed']}, {figures['seconds']:.0f} s; "
                       + "; ".join(figures.get("notes", [])))
        if (report / PLOT).is_file():
            st.image(str(report / PLOT), caption="hit@k by turn")

    if len(models) >= 2:
        st.subheader("Compare two models")
        c1, c2 = st.columns(2)
        a = c1.selectbox("Model A", models, index=0, key="eval_a")
        b = c2.selectbox("Model B", models, index=1, key="eval_b")
        ta, tb = newest[a].per_task, newest[b].per_task
        names = {x.task: task_label(x) for r in (newest[a], newest[b]) for x in r.tasks}
        rows = [{"task": names.get(t, t), a: ta.get(t), b: tb.get(t),
                 "B - A": None if ta.get(t) is None or tb.get(t) is None else tb[t] - ta[t]}
                for t in sorted(set(ta) | set(tb))]
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", key="eval_compare")
        c1.metric(f"{a} overall", f"{newest[a].overall:.3f}")
        c2.metric(f"{b} overall", f"{newest[b].overall:.3f}", delta=f"{newest[b].overall - newest[a].overall:+.3f}")
