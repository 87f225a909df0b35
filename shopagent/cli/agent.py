"""`shopagent agent plan`, `shopagent chat`, `shopagent graph`, `shopagent bench agent`: thin layers over ``agent``."""

from __future__ import annotations

import sys

import typer

from shopagent.cli.common import EMBEDDED_OPTION, JSON_OPTION, console, print_json, settings

app = typer.Typer(help="The shopping agent: planning and its contract.", no_args_is_help=True)


def _endpoint_for_planning(stack, embedded: bool):  # noqa: ANN001, ANN202
    """The endpoint the agent's planner would use, or None when that planner needs no LLM."""
    from agent.planners import detect_kind
    from core.config import EMBEDDED_MODEL_NAME
    from core.llm.client import Endpoint, check_health
    from core.llm.serve import llm_endpoint

    s = settings()
    kind = s.planner
    if embedded:
        if kind in ("auto", "rules") and detect_kind(EMBEDDED_MODEL_NAME) == "rules":
            return None
        return stack.enter_context(llm_endpoint(s, embedded=True))
    if kind == "rules":
        return None
    try:
        return check_health(Endpoint.from_settings(s))
    except Exception:  # noqa: BLE001 - no server: the planner that needs none
        if kind != "auto":
            raise
        return None


@app.command("plan")
def plan(
    embedded: bool = EMBEDDED_OPTION,
    json_out: bool = JSON_OPTION,
) -> None:
    """Plan shopper messages from stdin (one a line) as the next message after four shown products."""
    from contextlib import ExitStack

    from agent.planners import PlanContext, ShownProduct, Vocabulary, make_planner
    from tools.catalog.store import Catalog

    s = settings()
    catalog = Catalog.open(s.data_dir)
    vocab = Vocabulary.from_catalog(catalog)
    shown = [ShownProduct(position=i + 1, id=p.id, title=p.title, brand=p.brand, price=p.price)
             for i, p in enumerate(catalog.get_many(catalog.ids[:4]))]
    context = PlanContext(shown=shown)
    with ExitStack() as stack:
        endpoint = _endpoint_for_planning(stack, embedded)
        planner = make_planner(s.planner, vocab, endpoint=endpoint)
        console.print(f"planner: {planner.name}")
        for line in sys.stdin:
            message = line.strip()
            if not message:
                continue
            action = planner.plan(message, context).action
            if json_out:
                print_json({"message": message, "action": action.action, "args": action.contract_args()})
            else:
                console.print(f"[bold]{action.action}[/] {action.contract_args()}  [dim]{message}[/]")


def chat(
    embedded: bool = EMBEDDED_OPTION,
    thread: str = typer.Option("", "--thread", help="Resume this chat (id printed at start); default: a new one."),
    user: str = typer.Option(None, "--user", help="Your user id, for personal recommendations."),
) -> None:
    """Chat with the shop's agent in the terminal (streams the reply; the conversation is saved)."""
    import uuid
    from contextlib import ExitStack

    from rich.markdown import Markdown

    from core.llm.client import Endpoint, check_health
    from shopagent.services import Services
    from core.llm.serve import llm_endpoint

    s = settings()
    thread = thread or uuid.uuid4().hex[:8]
    with ExitStack() as stack:
        endpoint = stack.enter_context(llm_endpoint(s, embedded=True)) if embedded else check_health(
            Endpoint.from_settings(s))
        runtime = stack.enter_context(Services(s, endpoint=endpoint)).agent()
        console.print(f"[dim]chat {thread} (resume with --thread {thread}); planner {runtime.deps.planner.name}; "
                      "empty line or Ctrl-D to quit[/]")
        while True:
            try:
                message = console.input("[bold cyan]you> [/]").strip()
            except EOFError:
                break
            if not message:
                break
            streamed = False
            for event in runtime.iter_turn(thread, message, user_id=user):
                if event.type == "tool_start":
                    console.print(f"[dim]  -> {event.tool} {event.args}[/]")
                elif event.type == "tool_end" and not event.ok:
                    console.print(f"[yellow]  !! {event.error}[/]")
                elif event.type == "token":
                    if not streamed:
                        console.print("[bold green]shop> [/]", end="")
                        streamed = True
                    console.print(event.text, end="", highlight=False, markup=False)
                elif event.type == "error":
                    console.print(f"[red]{event.error}[/]")
                elif event.type == "final" and event.result:
                    if streamed:  # the tokens were the checked answer itself: nothing to take back or repeat
                        console.print()
                    else:
                        console.print("[bold green]shop> [/]")
                        console.print(Markdown(event.result.answer.replace("\n", "  \n")))
                    for note in event.result.notes:
                        console.print(f"[dim]  note: {note}[/]")
                    t = event.result.timings
                    console.print(f"[dim]  {event.result.action} via {event.result.planner}; {t.wall_ms:.0f} ms "
                                  f"(llm {t.llm_ms:.0f}, tools {t.tool_ms:.0f}, overhead {t.overhead_ms:.1f})[/]")


def graph() -> None:
    """Print the agent's graph as a Mermaid diagram."""
    from agent.graph import build_graph

    typer.echo(build_graph(None).get_graph().draw_mermaid())  # type: ignore[arg-type]


def bench(
    embedded: bool = EMBEDDED_OPTION,
    json_out: bool = JSON_OPTION,
    runs: int = typer.Option(4, help="Runs per conversation (n of pass^k)."),
    temperature: float = typer.Option(0.7, help="Reply model temperature."),
    max_tokens: int = typer.Option(40, help="Reply length in tokens."),
    workers: int = typer.Option(8, help="Conversations in flight at once."),
    llm: bool = typer.Option(True, "--llm/--no-llm", help="--no-llm: template replies only (no server)."),
    limit: int = typer.Option(None, help="Only the first N conversations (quick look)."),
) -> None:
    """Latency split (LLM / tools / graph overhead) and pass^k over 30 fixed conversations."""
    from shopagent.bench.agent import run_agent_bench

    result = run_agent_bench(settings(), embedded=embedded, runs=runs, temperature=temperature,
                             max_tokens=max_tokens, workers=workers, use_llm=llm, limit=limit)
    if json_out:
        print_json(result.model_dump())
    else:
        console.print(result.as_table())
        for failure, count in result.failures.items():
            console.print(f"[dim]{count}x {failure}[/]")


def bench_planner(json_out: bool = JSON_OPTION) -> None:
    """The planner on every request set of the project: n, action and argument accuracy per set, held-out marked."""
    from rich.table import Table

    from shopagent.bench.planner import run_planner_bench

    result = run_planner_bench(settings())
    if json_out:
        print_json(result.model_dump())
        return
    table = Table(title=f"planner {result.planner}: {result.held_out_n} held-out requests")
    for col in ("set", "n", "action", "args", "held out"):
        table.add_column(col)
    for name, g in result.groups.items():
        table.add_row(name, str(g.n), f"{g.action_acc:.3f}", f"{g.args_acc:.3f}", "yes" if g.held_out else "")
    console.print(table)
    for miss in result.misses:
        console.print(f"[dim]{miss['group']}: {miss['message']!r} -> {miss['action']} {miss['diffs']}[/]")


def bench_replies(
    embedded: bool = EMBEDDED_OPTION,
    json_out: bool = JSON_OPTION,
    catalog: list[str] = typer.Option(["demo", "beauty"], help="demo, beauty (Amazon Beauty 2014 from "
                                                               "../shared/datasets) or a CSV/JSONL feed; repeat."),
    conversations: int = typer.Option(13, help="Conversations of 8 turns per catalog."),
    seed: int = typer.Option(0, help="Seed of the generated conversations and of the injected catalog."),
    free: bool = typer.Option(True, "--free/--no-free", help="Also run the model's unconstrained text side by side."),
) -> None:
    """Defects a shopper would read (wrong or misattributed figures, unsupported claims, echoes, loops, cut-offs,
    off-topic answers, withdrawn text), fallback rate and reply latency; injected catalog text's effect."""
    from shopagent.bench.replies import run_replies_bench

    result = run_replies_bench(settings(), embedded=embedded, catalogs=tuple(catalog),
                               conversations_per_catalog=conversations, seed=seed, free=free,
                               say=lambda m: console.print(f"[dim]{m}[/]"))
    if json_out:
        print_json(result.model_dump())
        return
    console.print(result.as_table())
    for side in ("lead", "free"):
        for kind, texts in getattr(result, side).examples.items():
            for text in texts[:1]:
                console.print(f"{side} {kind}: {text}", style="dim", markup=False, highlight=False)
