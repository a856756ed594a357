"""The notification rule and its SQL twin (used for fan-out) give the same answers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from board.extensions import db
from board.models import User
from board.models.base import utcnow
from board.permissions import can_be_notified_of, notifiable_readers
from tests import factories


@pytest.mark.parametrize("visibility", ["public", "members", "association"])
@pytest.mark.parametrize("state", ["public", "hidden", "queued", "deleted", "thread_hidden"])
def test_sql_twin_agrees_with_the_predicate(app, association_a, visibility, state):
    category = factories.make_category(association=association_a, visibility=visibility)
    insider = factories.make_user(display_name="Unutra", member_of=association_a)
    people = [
        insider,
        factories.make_user(display_name="Vani"),
        factories.make_user(display_name="Admin X", is_admin=True),
        factories.make_user(display_name="Mod A", moderator_of=association_a),
        factories.make_user(display_name="Novi", confirmed=False),
    ]
    thread = factories.make_thread(insider, category, title="Pravila")
    post = factories.make_reply(thread, people[2], "Odgovor.")
    if state == "hidden":
        post.hidden_at = utcnow()
    elif state == "queued":
        post.approved = False
    elif state == "deleted":
        post.deleted_at = utcnow() - timedelta(minutes=1)
    elif state == "thread_hidden":
        thread.hidden_at = utcnow()
    db.session.commit()
    readers = notifiable_readers(post)
    in_sql = set() if readers is None else set(db.session.scalars(select(User.id).where(readers)))
    by_rule = {u.id for u in db.session.scalars(select(User)) if can_be_notified_of(u, post)}
    assert in_sql == by_rule
