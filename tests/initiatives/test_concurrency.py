"""Support is exact under concurrent clicks: one row per member, whatever arrives at once."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from board.extensions import db
from board.models.initiatives import Support
from tests import factories
from tests.conftest import BoardClient
from tests.initiatives.conftest import initiative

WORKERS = 8


def _signed_in(app, user) -> BoardClient:
    client = app.test_client()
    client.set_cookie("lang", "en")
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
    client.csrf_token()
    return client


def _click_together(clients, url: str) -> list[int]:
    """Every client POSTs at the same moment (a barrier), each in its own thread."""
    barrier = threading.Barrier(len(clients))
    statuses: list[int] = []

    def click(client):
        barrier.wait()
        statuses.append(client.post(url, data={"on_behalf": "self"}).status_code)

    threads = [threading.Thread(target=click, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return statuses


@pytest.mark.slow
def test_many_members_at_once_are_counted_exactly(app, client, login, member, new_initiative):
    login(member)
    thread_id = new_initiative()
    client.post(f"/t/{thread_id}/initiative/status", data={"status": "open"})
    users = [factories.make_user() for _ in range(WORKERS)]
    clients = [_signed_in(app, user) for user in users]
    statuses = _click_together(clients, f"/t/{thread_id}/support")
    assert statuses == [302] * WORKERS
    db.session.expire_all()
    count = db.session.scalar(
        select(func.count(Support.id)).where(Support.initiative_id == initiative(thread_id).id)
    )
    assert count == WORKERS
    data = client.get("/api/v1/initiatives").get_json()
    assert data["results"][0]["supporters"] == WORKERS


@pytest.mark.slow
def test_one_member_clicking_many_times_at_once_signs_once(
    app, client, login, member, new_initiative
):
    login(member)
    thread_id = new_initiative()
    client.post(f"/t/{thread_id}/initiative/status", data={"status": "open"})
    signer = factories.make_user()
    clients = [_signed_in(app, signer) for _ in range(WORKERS)]
    statuses = _click_together(clients, f"/t/{thread_id}/support")
    assert all(status == 302 for status in statuses), statuses
    db.session.expire_all()
    rows = db.session.scalars(select(Support).where(Support.user_id == signer.id)).all()
    assert len(rows) == 1
