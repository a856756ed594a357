"""Handles: derived, unique, changeable with a redirect, and the profile they lead to."""

from __future__ import annotations

from board.extensions import db
from board.models import User
from board.notifications.handles import base_handle, is_valid
from tests import factories


def test_handles_are_derived_from_names_in_either_script():
    assert base_handle("Amra Hadžić") == "amra.hadzic"
    assert base_handle("Ђорђе Петровић") == "djordje.petrovic"
    assert base_handle("  ") == "clan"
    assert base_handle("42") == "clan42"
    assert len(base_handle("Ime " * 20)) <= 30
    assert is_valid(base_handle("1234567890" * 4)), "a name of digits only is cut to 30 too"


def test_a_taken_handle_gets_a_number(app):
    first = factories.make_user(display_name="Amra Hadžić")
    second = factories.make_user(display_name="Amra Hadzic")
    third = factories.make_user(display_name="AMRA HADŽIĆ")
    assert (first.handle, second.handle, third.handle) == (
        "amra.hadzic",
        "amra.hadzic2",
        "amra.hadzic3",
    )


def test_profile_shows_name_and_threads_never_the_email(client, asker, question):
    page = client.get("/u/amra.hadzic")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Amra Hadžić" in text and "@amra.hadzic" in text and question.title in text
    assert "amra@example.ba" not in text


def test_profile_lists_accepted_answers(client, login, question, asker, helper):
    reply = factories.make_reply(question, helper, "Ovo je odgovor.")
    login(asker)
    client.post(f"/p/{reply.id}/accept")
    text = client.get(f"/u/{helper.handle}").get_data(as_text=True)
    assert "Accepted answers" in text and question.title in text


def test_profile_hides_threads_the_viewer_may_not_read(client, asker, association_a):
    private = factories.make_category("tajno", association=association_a, visibility="association")
    factories.make_thread(asker, private, title="Interna tema saveza")
    assert "Interna tema saveza" not in client.get("/u/amra.hadzic").get_data(as_text=True)


def test_handle_lookup_ignores_case(client, asker):
    response = client.get("/u/Amra.Hadzic")
    assert response.status_code == 301 and response.headers["Location"].endswith("/u/amra.hadzic")


def test_changing_the_handle_keeps_the_old_one_redirecting(client, login, asker):
    login(asker)
    response = client.post("/settings/notifications", data={"h-handle": "Amra_MZ"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, asker.id).handle == "amra_mz"
    old = client.get("/u/amra.hadzic")
    assert old.status_code == 301 and old.headers["Location"].endswith("/u/amra_mz")


def test_a_bad_or_taken_handle_is_refused_with_what_was_typed(client, login, asker, helper):
    login(asker)
    response = client.post("/settings/notifications", data={"h-handle": "a!"})
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "3 to 30 characters" in text and 'value="a!"' in text
    response = client.post("/settings/notifications", data={"h-handle": helper.handle})
    assert response.status_code == 400 and "This handle is taken." in response.get_data(
        as_text=True
    )


def test_cli_creates_a_user_with_a_handle(app, monkeypatch):
    # The CLI speaks the shell's language; these assertions read the English messages.
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    runner = app.test_cli_runner()

    def create(email: str, name: str, *extra: str):
        args = ["board", "users", "create", email, "--name", name]
        return runner.invoke(
            args=[*args, "--password", "dugacka-lozinka-1", *extra], env={"LANG": "en_US.UTF-8"}
        )

    result = create("x@example.ba", "X Y", "--handle", "Sekretar.MZ")
    assert result.exit_code == 0 and "@sekretar.mz" in result.output
    result = create("z@example.ba", "Z", "--handle", "sekretar.mz")
    assert result.exit_code != 0 and "taken" in result.output
    assert "@wanda.w" in create("w@example.ba", "Wanda W").output


def test_handle_completion_for_members(client, login, asker, helper):
    login(asker)
    assert client.get("/api/v1/handles?q=bor").get_json() == [
        {"handle": "boris.babic", "name": "Boris Babić"}
    ]
    client.post("/logout")
    assert client.get("/api/v1/handles?q=bor").status_code in (302, 401)
