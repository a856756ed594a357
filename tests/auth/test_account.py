"""Account settings: change password and e-mail, download my data, delete my account."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from sqlalchemy import select

from board.extensions import db
from board.models import Document, Post, User
from tests import factories
from tests.documents.conftest import _multipart_post

NEW_PASSWORD = "a brand new long passphrase"


@pytest.fixture(autouse=True)
def _english(client):
    client.set_cookie("lang", "en")


def test_password_change_asks_for_the_current_password(client, login, member):
    login(member)
    response = client.post(
        "/settings/password",
        data={"current_password": "not my password", "password": NEW_PASSWORD},
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "This is not your current password." in page
    assert 'class="error-summary"' in page
    db.session.refresh(member)
    assert service_checks(member, factories.PASSWORD)


def service_checks(user: User, password: str) -> bool:
    from board.auth.passwords import verify_password

    return verify_password(user.password_hash, password)


def test_password_change_takes_effect_at_the_next_login(client, login, member):
    login(member)
    response = client.post(
        "/settings/password",
        data={"current_password": factories.PASSWORD, "password": NEW_PASSWORD},
    )
    assert response.status_code == 302
    client.post("/logout")
    client.forget_csrf()
    old = client.post("/login", data={"email": member.email, "password": factories.PASSWORD})
    assert old.status_code == 400
    login(member, password=NEW_PASSWORD)


def test_email_change_is_confirmed_by_link_and_the_old_address_is_told(
    client, login, member, mail_sink
):
    login(member)
    response = client.post(
        "/settings/email",
        data={"email": "Nova.Adresa@example.ba", "current_password": factories.PASSWORD},
    )
    assert response.status_code == 200
    assert "nova.adresa@example.ba" in mail_sink.body(mail_sink.latest("nova.adresa@example.ba"))
    db.session.refresh(member)
    assert member.email == "member@example.ba"  # nothing changes before the link is opened
    link = mail_sink.link("nova.adresa@example.ba")
    assert client.get(link.replace("http://localhost", "")).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, member.id).email == "nova.adresa@example.ba"
    told = mail_sink.body(mail_sink.latest("member@example.ba"))
    assert "nova.adresa@example.ba" in told
    # The link works once: the account no longer has the address it was issued for.
    assert client.get(link.replace("http://localhost", "")).status_code == 400


def test_email_change_refuses_a_wrong_password_and_keeps_the_address_typed(
    client, login, member, mail_sink
):
    login(member)
    response = client.post(
        "/settings/email", data={"email": "x@example.ba", "current_password": "wrong one"}
    )
    assert response.status_code == 400
    assert 'value="x@example.ba"' in response.get_data(as_text=True)
    assert mail_sink.to("x@example.ba") == []


def test_email_change_to_a_taken_address_sends_no_link(
    client, login, member, other_member, mail_sink
):
    login(member)
    response = client.post(
        "/settings/email",
        data={"email": other_member.email, "current_password": factories.PASSWORD},
    )
    assert response.status_code == 200  # the same page: it does not reveal who is a member
    assert mail_sink.to(other_member.email) == []


def test_download_my_data_is_a_zip_of_profile_posts_and_documents(client, login, member):
    login(member)
    response = _multipart_post(
        client,
        "/c/regulation/new",
        {"title": "Statut MZ Centar", "body": "Evo statuta naše MZ."},
        [("statut.txt", "Član 1. Mjesna zajednica Centar.".encode())],
    )
    assert response.status_code == 302
    export = client.post("/settings/export")
    assert export.status_code == 200
    assert export.mimetype == "application/zip"
    assert "attachment" in export.headers["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(export.data))
    export.close()  # as a server does once the download is sent: closes the spooled file
    profile = json.loads(archive.read("profile.json"))
    assert profile["email"] == "member@example.ba"
    assert profile["display_name"] == "Amra Member"
    posts = json.loads(archive.read("posts.json"))
    assert [p["body"] for p in posts] == ["Evo statuta naše MZ."]
    assert posts[0]["thread_title"] == "Statut MZ Centar"
    listed = json.loads(archive.read("documents.json"))
    assert [d["filename"] for d in listed] == ["statut.txt"]
    assert archive.read(listed[0]["file"]).decode() == "Član 1. Mjesna zajednica Centar."


def test_export_is_post_only_and_needs_a_login(client):
    assert client.get("/settings/export").status_code == 405
    response = client.post("/settings/export")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def _search(client, words: str) -> list[dict]:
    return client.get("/api/v1/search", query_string={"q": words}).get_json()["results"]


def test_deleting_the_account_keeps_posts_as_a_former_member(client, login, member):
    thread = factories.make_thread(member, title="Zbor građana u MZ Centar", body="Mostarski zbor")
    login(member)
    response = client.post(
        "/settings/delete", data={"posts": "keep", "current_password": factories.PASSWORD}
    )
    assert response.status_code == 302
    page = client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert "Mostarski zbor" in page
    assert "Amra Member" not in page
    assert "Bivši član" in page  # the board's language: the name is stored once
    results = _search(client, "Mostarski")
    assert results and all(r["author"] == "Bivši član" for r in results)
    db.session.expire_all()
    gone = db.session.get(User, member.id)
    assert gone.email != "member@example.ba" and gone.password_hash == ""
    client.forget_csrf()
    login_again = client.post(
        "/login", data={"email": "member@example.ba", "password": factories.PASSWORD}
    )
    assert login_again.status_code == 400


def test_deleting_the_account_can_remove_the_posts_and_their_documents(client, login, member):
    login(member)
    _multipart_post(
        client,
        "/c/regulation/new",
        {"title": "Pravilnik o radu", "body": "Trebinjski pravilnik"},
        [("pravilnik.txt", b"Pravilnik o radu savjeta MZ Trebinje.")],
    )
    assert _search(client, "Trebinjski")
    response = client.post(
        "/settings/delete", data={"posts": "remove", "current_password": factories.PASSWORD}
    )
    assert response.status_code == 302
    db.session.expire_all()
    post = db.session.scalar(select(Post).where(Post.author_id == member.id))
    assert post.is_deleted and post.body_md == ""
    assert db.session.scalars(select(Document)).all() == []
    assert _search(client, "Trebinjski") == []
    assert _search(client, "savjeta") == []


def test_deleting_the_account_asks_for_the_password_and_a_choice(client, login, member):
    login(member)
    response = client.post("/settings/delete", data={"current_password": factories.PASSWORD})
    assert response.status_code == 400
    assert "Choose what happens to your posts." in response.get_data(as_text=True)
    response = client.post("/settings/delete", data={"posts": "keep", "current_password": "no"})
    assert response.status_code == 400
    db.session.expire_all()
    assert not db.session.get(User, member.id).is_deleted


def test_deleting_the_account_ends_its_sessions_on_other_devices(
    client, login, login_elsewhere, member
):
    other_device = login_elsewhere(member)
    assert "Amra Member" in other_device.get("/").get_data(as_text=True)
    login(member)
    client.post("/settings/delete", data={"posts": "keep", "current_password": factories.PASSWORD})
    page = other_device.get("/settings")
    assert page.status_code == 302
    assert "/login" in page.headers["Location"]
