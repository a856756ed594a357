"""The audit log reads as words: actions, objects by title and link, changes side by side;
and /mod/log narrows by moderator, action, category and dates."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from board.extensions import db
from board.models import ModerationAction
from board.models.base import utcnow
from tests import factories
from tests.sqlcount import counting


def _entry(action: str):
    return db.session.scalar(select(ModerationAction).where(ModerationAction.action == action))


def test_log_speaks_bosnian_and_names_the_thread(client, login, thread_a, moderator_a):
    login(moderator_a)
    client.post(f"/t/{thread_a.id}/lock")
    client.set_cookie("lang", "bs")
    page = client.get("/mod/log").get_data(as_text=True)
    table = page[page.index("<table") :]
    assert ">Zaključana tema<" in table
    assert f'<a href="/t/{thread_a.id}">Budžet mjesne zajednice</a>' in table
    assert ">lock_thread<" not in table and "#" + str(thread_a.id) not in table


def test_log_names_a_post_by_its_thread_and_author(client, login, reply_a, moderator_a):
    login(moderator_a)
    client.post(f"/p/{reply_a.id}/hide", data={"reason": "Reklama."})
    page = client.get("/mod/log").get_data(as_text=True)
    assert ">Hid a post<" in page
    assert "Post by Boris Other" in page and "Budžet mjesne zajednice</a>" in page


def test_entry_shows_a_move_as_category_names_not_json(
    client, login, thread_a, cat_a2, moderator_a
):
    login(moderator_a)
    client.post(f"/t/{thread_a.id}/move", data={"category": cat_a2.slug})
    client.set_cookie("lang", "bs")
    page = client.get(f"/mod/log/{_entry('move_thread').id}").get_data(as_text=True)
    assert "<h1>Premještena tema</h1>" in page
    row = re.search(r'<th scope="row"[^>]*>Kategorija</th>(.*?)</tr>', page, re.S).group(1)
    assert "Kategorija A" in row and "Druga kategorija A" in row
    assert "cat-a2" not in row and "{" not in page[page.index("<h1>") :]


def test_entry_shows_a_suspension_in_words(client, login, admin, member):
    login(admin)
    client.post(f"/mod/u/{member.id}/suspend", data={"permanent": "y", "reason": "Spam."})
    client.set_cookie("lang", "bs")
    page = client.get(f"/mod/log/{_entry('suspend_user').id}").get_data(as_text=True)
    assert "Suspendovan član" in page and "Amra Member</a>" in page
    assert "bez roka" in page and "9999" not in page and "null" not in page


def _two_moderators_act(client, login, thread_a, moderator_b, member, moderator_a, admin):
    thread_b = factories.make_thread(member, factories.category("cat-b"), title="Tema B")
    login(moderator_a)
    client.post(f"/t/{thread_a.id}/lock")
    client.post(f"/t/{thread_a.id}/pin")
    login(moderator_b)
    client.post(f"/t/{thread_b.id}/pin")
    login(admin)


def test_log_filters_by_moderator_action_and_category(
    client, login, thread_a, cat_b, moderator_a, moderator_b, member, admin
):
    _two_moderators_act(client, login, thread_a, moderator_b, member, moderator_a, admin)
    page = client.get(f"/mod/log?moderator={moderator_a.handle}").get_data(as_text=True)
    assert page.count('data-action="') == 2 and "Tema B" not in page
    page = client.get("/mod/log?action=pin_thread").get_data(as_text=True)
    assert page.count('data-action="pin_thread"') == 2 and 'data-action="lock_thread"' not in page
    page = client.get("/mod/log?action=pin_thread&category=cat-b").get_data(as_text=True)
    assert page.count('data-action="') == 1 and "Tema B" in page
    assert '<option selected value="cat-b">' in page  # the form keeps what was chosen


def test_log_filters_by_date(client, login, thread_a, moderator_a, admin):
    login(moderator_a)
    client.post(f"/t/{thread_a.id}/lock")
    old = _entry("lock_thread")
    old.created_at = utcnow() - timedelta(days=40)
    db.session.commit()
    client.post(f"/t/{thread_a.id}/pin")
    login(admin)
    since = (utcnow() - timedelta(days=10)).date().isoformat()
    page = client.get(f"/mod/log?from={since}").get_data(as_text=True)
    assert 'data-action="pin_thread"' in page and 'data-action="lock_thread"' not in page
    until = (utcnow() - timedelta(days=30)).date().isoformat()
    page = client.get(f"/mod/log?to={until}").get_data(as_text=True)
    assert 'data-action="lock_thread"' in page and 'data-action="pin_thread"' not in page


def test_bad_filters_are_a_400_that_names_the_problem(client, login, thread_a, moderator_a):
    login(moderator_a)
    client.post(f"/t/{thread_a.id}/lock")
    client.set_cookie("lang", "bs")
    response = client.get("/mod/log?from=32.13.2026&action=nuke&category=cat-b&moderator=x")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Izaberite radnju s liste." in page
    assert "Izaberite jednu od kategorija koje moderirate." in page
    assert "Izaberite osobu s liste." in page
    assert 'value="32.13.2026"' in page  # what was typed stays in the form
    response = client.get("/mod/log?from=2026-05-02&to=2026-05-01")
    assert response.status_code == 400


def test_filters_survive_paging(client, login, thread_a, moderator_a):
    db.session.add_all(
        ModerationAction(
            actor=moderator_a,
            action="lock_thread",
            target_type="thread",
            target_id=thread_a.id,
            category_id=thread_a.category_id,
        )
        for _ in range(51)
    )
    db.session.commit()
    login(moderator_a)
    page = client.get("/mod/log?action=lock_thread").get_data(as_text=True)
    assert "51 entries" in page
    pages = re.search(r'<nav class="pagination".*?</nav>', page, re.S).group(0)
    assert "action=lock_thread" in pages and "page=2" in pages


def _log_rows(actor, thread, posts) -> None:
    for post in posts:
        db.session.add(
            ModerationAction(
                actor=actor,
                action="hide_post",
                target_type="post",
                target_id=post.id,
                category_id=thread.category_id,
            )
        )
        db.session.add(
            ModerationAction(
                actor=actor,
                action="lock_thread",
                target_type="thread",
                target_id=thread.id,
                category_id=thread.category_id,
            )
        )
    db.session.commit()


def test_log_page_queries_do_not_grow_with_its_lines(
    client, login, thread_a, other_member, moderator_a, admin
):
    login(admin)
    threads = [
        factories.make_thread(other_member, thread_a.category, title=f"Tema {n}") for n in range(8)
    ]
    posts = [factories.first_post(thread) for thread in threads]
    _log_rows(moderator_a, thread_a, posts[:2])
    with counting() as few:
        assert client.get("/mod/log").status_code == 200
    _log_rows(admin, thread_a, posts[2:])
    with counting() as many:
        page = client.get("/mod/log").get_data(as_text=True)
    assert page.count('data-action="hide_post"') == 8
    assert len(many) == len(few), many
