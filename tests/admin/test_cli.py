"""The command line writes what the admin pages write: the same rows, the same audit lines."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from board.extensions import db
from board.models import Association, ModerationAction, User
from tests import factories


@pytest.fixture(autouse=True)
def english(client):
    client.set_cookie("lang", "en")


def _board(app, *args: str):
    result = app.test_cli_runner().invoke(args=["board", *args], env={"LANG": "en_US.UTF-8"})
    db.session.expire_all()
    return result


def _log() -> list[tuple[str | None, str, dict | None]]:
    entries = db.session.scalars(select(ModerationAction).order_by(ModerationAction.id))
    return [(e.actor_id, e.action, e.after) for e in entries]


def test_cli_leaves_the_audit_lines_the_admin_pages_leave(app, client, login, admin):
    assert (
        _board(app, "associations", "create", "savez-fbih", "--name", "Savez FBiH").exit_code == 0
    )
    assert (
        _board(app, "categories", "assign", "planning", "--association", "savez-fbih").exit_code
        == 0
    )
    result = _board(
        app, "users", "create", "moderatorka@example.ba", "--name", "Moderatorka",
        "--password", factories.PASSWORD, "--role", "moderator", "--association", "savez-fbih",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    association = db.session.scalar(select(Association).where(Association.slug == "savez-fbih"))
    user = db.session.scalar(select(User).where(User.email == "moderatorka@example.ba"))
    assert user.moderated_association_ids == {association.id}
    assert _log() == [
        (None, "create_association", {"slug": "savez-fbih", "name": "Savez FBiH"}),
        (None, "edit_category", {"association": "savez-fbih"}),
        (None, "add_member", {"association": "savez-fbih", "moderator": True}),
    ]
    login(admin)
    page = client.get("/mod/log").get_data(as_text=True)
    assert "Command line" in page
    entry = db.session.scalar(
        select(ModerationAction).where(ModerationAction.action == "add_member")
    )
    assert "Command line" in client.get(f"/mod/log/{entry.id}").get_data(as_text=True)


def test_cli_refuses_a_taken_association_slug_without_an_audit_line(app, association_a):
    result = _board(app, "associations", "create", "assoc-a", "--name", "Drugi")
    assert result.exit_code != 0 and "exists already" in result.output
    assert _log() == []


def test_cli_member_without_association_leaves_no_audit_line(app):
    result = _board(
        app,
        "users",
        "create",
        "clan@example.ba",
        "--name",
        "Član",
        "--password",
        factories.PASSWORD,
    )
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(User).where(User.email == "clan@example.ba")).is_confirmed
    assert _log() == []
