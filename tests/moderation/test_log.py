"""The audit log: scoped to the reader's categories, append-only, no leaks by id."""

from __future__ import annotations

from sqlalchemy import select

from board.extensions import db
from board.models import ModerationAction
from tests import factories


def test_log_shows_own_associations_entries_only(
    client, login, thread_a, cat_b, moderator_a, moderator_b, member
):
    thread_b = factories.make_thread(member, cat_b, title="Tema B")
    login(moderator_a)
    client.post(f"/t/{thread_a.id}/lock")
    login(moderator_b)
    client.post(f"/t/{thread_b.id}/pin")
    page = client.get("/mod/log").get_data(as_text=True)
    assert 'data-action="pin_thread">Pinned a thread<' in page
    assert 'data-action="lock_thread"' not in page
    entry_a = db.session.scalar(
        select(ModerationAction).where(ModerationAction.action == "lock_thread")
    )
    assert client.get(f"/mod/log/{entry_a.id}").status_code == 404
    login(moderator_a)
    detail = client.get(f"/mod/log/{entry_a.id}").get_data(as_text=True)
    assert "Moderator A" in detail and "Locked a thread" in detail


def test_admin_reads_every_entry(
    client, login, thread_a, cat_b, moderator_a, moderator_b, admin, member
):
    thread_b = factories.make_thread(member, cat_b, title="Tema B")
    login(moderator_a)
    client.post(f"/t/{thread_a.id}/lock")
    login(moderator_b)
    client.post(f"/t/{thread_b.id}/pin")
    login(admin)
    page = client.get("/mod/log").get_data(as_text=True)
    assert 'data-action="pin_thread"' in page and 'data-action="lock_thread"' in page


def test_members_cannot_open_the_log(client, login, member):
    login(member)
    assert client.get("/mod/log").status_code == 403
    assert client.get("/mod").status_code == 403


def test_log_has_no_edit_or_delete_routes(app, client, login, thread_a, moderator_a, admin):
    login(moderator_a)
    client.post(f"/t/{thread_a.id}/lock")
    entry = db.session.scalar(select(ModerationAction))
    login(admin)
    for path in (
        f"/mod/log/{entry.id}",
        f"/mod/log/{entry.id}/edit",
        f"/mod/log/{entry.id}/delete",
    ):
        assert client.post(path).status_code in (404, 405)
    assert db.session.scalar(select(ModerationAction)).action == "lock_thread"
    rules = [r.rule for r in app.url_map.iter_rules() if r.rule.startswith("/mod/log")]
    assert all(
        r.methods <= {"GET", "HEAD", "OPTIONS"} for r in app.url_map.iter_rules() if r.rule in rules
    )
