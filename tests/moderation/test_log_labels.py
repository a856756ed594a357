"""Every action the board records has a name in words, in every catalogue.

The action codes are found in the source itself (each call of ``board.audit.record`` or
``change``), so a new action recorded without a label fails here rather than showing
``approve_post`` to a moderator.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from board.moderation import service
from board.moderation.log import ACTION_LABELS

BOARD = Path(__file__).resolve().parents[2] / "board"
TRANSLATIONS = BOARD / "translations"

# Calls whose action is not a literal, and the codes they may pass.
DYNAMIC = {
    ("moderation/service.py", "switch_thread"): {
        action for _attribute, _value, action in service.THREAD_SWITCHES.values()
    },
}


def _audit_names(tree: ast.Module) -> set[str]:
    """The local names under which a module imported ``record`` and ``change``."""
    return {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "board.audit"
        for alias in node.names
        if alias.name in {"record", "change"}
    }


def _literals(node: ast.expr) -> set[str] | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        body, orelse = _literals(node.body), _literals(node.orelse)
        return None if body is None or orelse is None else body | orelse
    return None


def recorded_actions() -> set[str]:
    """Every action code passed to the audit log anywhere in the board's code."""
    codes: set[str] = set()
    for path in sorted(BOARD.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = _audit_names(tree) | ({"record"} if path.name == "audit.py" else set())
        functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]
        for function in functions:
            for call in ast.walk(function):
                if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name)):
                    continue
                if call.func.id not in names or len(call.args) < 2:
                    continue
                found = _literals(call.args[1])
                if found is None:
                    key = (path.relative_to(BOARD).as_posix(), function.name)
                    if path.name == "audit.py" and function.name == "change":
                        continue  # passes its own caller's action on
                    assert key in DYNAMIC, f"{key}: write the action code as a literal"
                    found = DYNAMIC[key]
                codes |= found
    return codes


def test_the_scan_finds_the_actions_it_should():
    codes = recorded_actions()
    assert {"approve_post", "suspend_user", "lock_thread", "edit_association"} <= codes
    assert {"appoint_moderator", "remove_moderator", "practice_tags"} <= codes


def test_every_recorded_action_has_a_label():
    missing = recorded_actions() - set(ACTION_LABELS)
    assert not missing, f"actions without a label in ACTION_LABELS: {sorted(missing)}"


@pytest.mark.parametrize("locale", ["bs", "hr", "sr_Latn", "sr"])
def test_every_action_label_is_translated(locale):
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalogue = read_po(handle)
    untranslated = [
        label._args[0]
        for label in ACTION_LABELS.values()
        if not (catalogue.get(label._args[0]) and catalogue.get(label._args[0]).string)
    ]
    assert not untranslated, f"{locale}: {untranslated}"
