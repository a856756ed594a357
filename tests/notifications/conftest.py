"""A small world for notifications: a thread asked by Amra, watchers, a private category."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from board.extensions import db
from board.models import Notification
from tests import factories


@pytest.fixture(autouse=True)
def english(client):
    """Assertions read the English texts, whatever the Bosnian catalogue says."""
    client.set_cookie("lang", "en")


@pytest.fixture
def asker(app):
    return factories.make_user(email="amra@example.ba", display_name="Amra Hadžić", locale="en")


@pytest.fixture
def helper(app):
    return factories.make_user(email="boris@example.ba", display_name="Boris Babić", locale="en")


@pytest.fixture
def third(app):
    return factories.make_user(
        email="cvijeta@example.ba", display_name="Cvijeta Ćorić", locale="en"
    )


@pytest.fixture
def question(asker):
    return factories.make_thread(asker, title="Kako sazvati zbor građana?")


def notes(user, kind: str | None = None) -> list[Notification]:
    """The member's notifications (of one kind), oldest first."""
    query = select(Notification).where(Notification.user_id == user.id)
    if kind:
        query = query.where(Notification.kind == kind)
    db.session.expire_all()
    return list(db.session.scalars(query.order_by(Notification.id)))
