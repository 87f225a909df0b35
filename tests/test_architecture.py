"""The house, checked from its imports: every arrow points down the layers written in pyproject.toml
(`[tool.importlinter]`), and no module reaches itself through its imports (no import circles)."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import grimp
import networkx as nx

ROOT = Path(__file__).resolve().parents[1]


def _layers() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    return config["root_packages"]


def _module_graph() -> nx.DiGraph:
    graph = grimp.build_graph(*_layers(), cache_dir=None)
    edges = nx.DiGraph()
    for module in graph.modules:
        for imported in graph.find_modules_directly_imported_by(module):
            edges.add_edge(module, imported)
    return edges


def test_every_import_points_down_the_layers() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "0 broken" in done.stdout


def test_no_import_circles() -> None:
    edges = _module_graph()
    # a package's __init__ re-exporting its own modules is not a circle between rooms
    edges.remove_edges_from([(a, b) for a, b in list(edges.edges) if b.startswith(a + ".")])
    circles = [sorted(c) for c in nx.strongly_connected_components(edges) if len(c) > 1]
    assert circles == [], f"import circles: {circles}"

