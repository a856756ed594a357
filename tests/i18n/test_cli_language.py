"""The admin CLI speaks the language of the admin's shell, from the same catalogues."""

from __future__ import annotations

import pytest

from tests import factories


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("C.UTF-8", "Ne postoji kategorija nema-je."),  # no language: the board's default
        ("en_US.UTF-8", "No category nema-je."),
        ("hr_HR.UTF-8", "Ne postoji kategorija nema-je."),
        ("sr_RS.UTF-8", "Не постоји категорија nema-je."),
        ("sr_RS.UTF-8@latin", "Ne postoji kategorija nema-je."),
    ],
)
def test_cli_errors_follow_the_shell_language(app, monkeypatch, lang, text):
    monkeypatch.setenv("LANG", lang)
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    result = app.test_cli_runner().invoke(
        args=["board", "categories", "assign", "nema-je", "--association", "x"]
    )
    assert result.exit_code == 1
    assert text in result.output


def test_cli_success_message_in_croatian(app, monkeypatch):
    monkeypatch.setenv("LANG", "hr_HR.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    factories.make_association("savez-fbih")
    result = app.test_cli_runner().invoke(
        args=["board", "users", "create", "nova@example.ba", "--name", "Nova",
              "--password", "dugacka lozinka 123", "--association", "savez-fbih"]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Stvoren je račun nova@example.ba" in result.output
    assert "uloga member" in result.output
