"""Rate limits: counters shared between worker processes, a per-account login limit that
tells the owner, and limits on posting, flagging and searching per member and address."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta

import pytest
from limits import parse
from limits.strategies import FixedWindowRateLimiter

from board.extensions import db, limiter
from board.models.base import utcnow
from board.ratelimits import SQLiteStorage
from tests import factories


@pytest.fixture
def app_config(app_config: dict) -> dict:
    return {
        **app_config,
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_LOGIN_ACCOUNT": "3/hour",
        "RATELIMIT_POSTING": "4/hour",
        "RATELIMIT_POSTING_NEW_MEMBER": "2/hour",
        "RATELIMIT_POSTING_ADDRESS": "5/hour",
        "RATELIMIT_FLAGGING": "1/hour",
        "RATELIMIT_SEARCH": "3/minute",
    }


def _veteran(**fields):
    user = factories.make_user(**fields)
    user.created_at = utcnow() - timedelta(days=30)
    db.session.commit()
    return user


def _from(address: str) -> dict:
    return {"environ_base": {"REMOTE_ADDR": address}}


def test_counters_live_in_the_instance_folder_and_are_shared_between_processes(app, tmp_path):
    storage = limiter.storage
    assert isinstance(storage, SQLiteStorage)
    assert storage.path.startswith(app.instance_path)
    item = parse("5/hour")
    script = (
        "import sys; from limits import parse; from limits.strategies import "
        "FixedWindowRateLimiter as F; from board.ratelimits import SQLiteStorage as S; "
        "limiter = F(S('sqlite:///' + sys.argv[1])); "
        "[limiter.hit(parse('5/hour'), 'shared') for _ in range(3)]"
    )
    for _ in range(2):  # two other "workers"
        subprocess.run([sys.executable, "-c", script, storage.path], check=True)
    here = FixedWindowRateLimiter(storage)
    assert here.get_window_stats(item, "shared").remaining == 0
    assert not here.hit(item, "shared")


def test_account_login_limit_spans_addresses_and_tells_the_owner_once(client, mail_sink, member):
    client.set_cookie("lang", "en")
    wrong = {"email": member.email, "password": "pogrešna lozinka broj"}
    for n in range(3):
        assert client.post("/login", data=wrong, **_from(f"10.0.0.{n}")).status_code == 400
    right = {"email": member.email.upper(), "password": factories.PASSWORD}
    response = client.post("/login", data=right, **_from("10.0.1.1"))
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert "try again in" in response.get_data(as_text=True)
    client.post("/login", data=wrong, **_from("10.0.1.2"))
    notices = mail_sink.to(member.email)
    assert len(notices) == 1
    assert "/reset" in mail_sink.body(notices[0])


def test_unknown_account_gets_the_same_answer_and_no_mail(client, mail_sink):
    wrong = {"email": "niko@example.ba", "password": "pogrešna lozinka broj"}
    for n in range(3):
        assert client.post("/login", data=wrong, **_from(f"10.0.0.{n}")).status_code == 400
    assert client.post("/login", data=wrong, **_from("10.0.2.1")).status_code == 429
    assert mail_sink.messages == []


def test_a_new_member_posts_less_on_the_first_day(client, login, member):
    thread = factories.make_thread(_veteran())
    login(member)  # registered just now
    for n in range(2):
        reply = client.post(f"/t/{thread.id}/reply", data={"body": f"Odgovor {n}"})
        assert reply.status_code == 302
    refused = client.post(f"/t/{thread.id}/reply", data={"body": "Treći"})
    assert refused.status_code == 429
    assert 'lang="bs"' in refused.get_data(as_text=True)
    assert "Pokušajte ponovo za" in refused.get_data(as_text=True)
    assert int(refused.headers["Retry-After"]) > 0


def test_members_limit_counts_threads_and_replies_together(client, login):
    veteran = _veteran()
    thread = factories.make_thread(veteran)
    login(veteran)
    client.set_cookie("lang", "en")
    for n in range(2):
        new = client.post("/c/regulation/new", data={"title": f"Tema {n}", "body": "Tekst."})
        assert new.status_code == 302
        assert client.post(f"/t/{thread.id}/reply", data={"body": f"Odg {n}"}).status_code == 302
    refused = client.post("/c/regulation/new", data={"title": "Peta tema", "body": "Tekst."})
    assert refused.status_code == 429
    assert "Please try again in" in refused.get_data(as_text=True)


def test_a_refused_form_does_not_use_up_the_limit(client, login):
    veteran = _veteran()
    thread = factories.make_thread(veteran)
    login(veteran)
    for _ in range(5):
        assert client.post(f"/t/{thread.id}/reply", data={"body": ""}).status_code == 400
    assert client.post(f"/t/{thread.id}/reply", data={"body": "Sad da"}).status_code == 302


def test_one_address_shares_a_posting_limit(app, client, login):
    thread = factories.make_thread(_veteran())
    first, second = _veteran(), _veteran()
    login(first)
    for n in range(3):
        assert client.post(f"/t/{thread.id}/reply", data={"body": f"Prvi {n}"}).status_code == 302
    login(second)
    for n in range(2):
        assert client.post(f"/t/{thread.id}/reply", data={"body": f"Drugi {n}"}).status_code == 302
    assert client.post(f"/t/{thread.id}/reply", data={"body": "Previše"}).status_code == 429
    other_address = client.post(
        f"/t/{thread.id}/reply", data={"body": "Iz druge mreže"}, **_from("10.9.9.9")
    )
    assert other_address.status_code == 302


def test_flagging_is_limited(client, login, member):
    author = _veteran()
    thread = factories.make_thread(author)
    replies = [factories.make_reply(thread, author, f"Odgovor {n}") for n in range(2)]
    login(_veteran())
    assert client.post(f"/p/{replies[0].id}/flag", data={"reason": "spam"}).status_code == 302
    assert client.post(f"/p/{replies[1].id}/flag", data={"reason": "spam"}).status_code == 429


def test_search_is_limited_per_member_in_page_and_api(client):
    client.set_cookie("lang", "en")
    for _ in range(2):
        assert client.get("/search?q=zbor").status_code == 200
    assert client.get("/api/v1/search?q=zbor").status_code == 200
    page = client.get("/search?q=zbor")
    assert page.status_code == 429
    assert "Retry-After" in page.headers
    api = client.get("/api/v1/search?q=zbor")
    assert api.status_code == 429
    assert "try again" in api.get_json()["message"]
