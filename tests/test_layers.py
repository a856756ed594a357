"""The packages of ``board`` import each other in one direction only: no cycle, not even
through a function-level import, so every write can be read from route to commit.

The layers, bottom to top (a package imports only from lower layers, or from packages
named before it in its own layer):

1. leaves: extensions, models, permissions, ratelimits, errors, urls, config, mail,
   incoming, forms, backup, profile (the profile choices), effects (hooks, no imports);
2. text (markup, scripts; the mention resolver comes through ``effects``), then i18n
   and catalogues;
3. search (the index and its sources: posts and documents, read from the models);
4. audit (notices queue their mail through ``effects``), places, documents;
5. forum (its post effects go through ``effects``, which notifications registers);
6. notifications (watchers, mail, reply by e-mail through the forum's use cases);
7. auth, moderation, feeds, api, stats, admin;
8. cli (the app's commands) and relevance (the search bench harness) on top.
"""

from __future__ import annotations

import ast
from pathlib import Path

import board

ROOT = Path(board.__file__).parent


def _package(module: str) -> str | None:
    """``board.forum.service`` -> ``forum``; a module directly under ``board`` (``audit``,
    ``permissions``) is a node of its own."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "board" else None


def _exists(name: str) -> bool:
    return (ROOT / name).is_dir() or (ROOT / f"{name}.py").exists()


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in ROOT.rglob("*.py"):
        source = _package(".".join(("board", *path.relative_to(ROOT).with_suffix("").parts)))
        if source in (None, "__init__"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            for name in names:
                target = _package(name)
                if target and target != source and _exists(target):
                    graph.setdefault(source, set()).add(target)
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle between packages, or [] when there is none."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        state[node] = 2
        stack.pop()
        return []

    for start in sorted(graph):
        if start not in state and (found := visit(start)):
            return found
    return []


def test_no_import_cycle_between_packages():
    assert _cycle(_graph()) == []


def test_forum_does_not_import_moderation():
    """Moderation acts on the forum; the forum records audit lines through ``board.audit``."""
    assert "moderation" not in _graph().get("forum", set())
