"""The letter (ODT, read back with odfpy) and the supporters' CSV hold every supporter,
whatever their names, and no spreadsheet formula survives into the CSV."""

from __future__ import annotations

import csv
import io

import pytest
from odf import teletype
from odf.opendocument import load
from odf.text import P

from board.extensions import db
from board.initiatives.letters import csv_safe, xml_safe
from board.models import User
from board.models.initiatives import Support
from tests import factories, hostile
from tests.initiatives.conftest import initiative, make_place
from tests.security import corpus

FORMULAS = (
    "=cmd|' /C calc'!A0",
    "+1+cmd|' /C notepad'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    '  =HYPERLINK("http://evil.example")',
)


def _initiative_with(names, client, login, author, new_initiative, mz=None) -> int:
    login(author)
    thread_id = new_initiative()
    ini = initiative(thread_id)
    users = []
    for n, name in enumerate(names):
        user = User(
            email=f"s{n}@letters.example.ba",
            display_name=_stored(name),
            password_hash="x",
            function="president" if n % 2 else "secretary",
        )
        users.append(user)
    db.session.add_all(users)
    db.session.flush()
    db.session.add_all(
        Support(
            initiative_id=ini.id,
            user_id=user.id,
            function=user.function,
            on_behalf="mz" if mz is not None else "self",
            mz_id=mz.id if mz is not None else None,
            municipality_id=mz.municipality_id if mz is not None else None,
        )
        for user in users
    )
    db.session.commit()
    return thread_id


def _stored(name: str) -> str:
    """The name as a profile can hold it: no NUL (the board refuses NUL in every request,
    and PostgreSQL cannot store it), at most 80 characters."""
    return name.replace("\x00", "")[:80] or "—"


def _flat(value: str) -> str:
    return " ".join(xml_safe(value).split())


def _odt_text(data: bytes) -> str:
    document = load(io.BytesIO(data))
    return "\n".join(teletype.extractText(p) for p in document.getElementsByType(P))


def _check_letter(client, thread_id: int, names) -> None:
    response = client.get(f"/t/{thread_id}/initiative.odt")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.oasis.opendocument.text"
    assert "attachment" in response.headers["Content-Disposition"]
    text = " ".join(_odt_text(response.data).split())
    assert "Federalno ministarstvo pravde" in text
    assert "Zakon o principima lokalne samouprave, član 24." in text
    missing = [name for name in names if _flat(_stored(name)) not in text]
    assert not missing, missing[:5]


def test_letter_holds_addressee_text_and_every_supporter(client, login, member, new_initiative):
    mz = make_place("travnik", "Travnik", "MZ Dolac")
    names = ["Amela Hadžić", "Đorđe Šćekić", "Љубица Јовић"]
    thread_id = _initiative_with(names, client, login, member, new_initiative, mz=mz)
    response = client.get(f"/t/{thread_id}/initiative.odt")
    text = _odt_text(response.data)
    for expected in (*names, "MZ Dolac", "Travnik", "MZ council president", "MZ secretary"):
        assert expected in text
    assert "Problem: MZ nemaju pravni subjektivitet." in text


def test_letter_survives_the_suites_hostile_names(client, login, member, new_initiative):
    names = hostile.STRINGS
    thread_id = _initiative_with(names, client, login, member, new_initiative)
    _check_letter(client, thread_id, names)


@pytest.mark.corpus
@pytest.mark.slow
def test_letter_survives_the_naughty_strings(client, login, member, new_initiative):
    names = corpus.naughty()
    thread_id = _initiative_with(names, client, login, member, new_initiative)
    _check_letter(client, thread_id, names)


def test_csv_neutralises_formulas(client, login, member, new_initiative):
    thread_id = _initiative_with(FORMULAS, client, login, member, new_initiative)
    response = client.get(f"/t/{thread_id}/supporters.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][0] == "Name"
    cells = [cell for row in rows[1:] for cell in row]
    assert [row[0] for row in rows[1:]] == [csv_safe(name) for name in FORMULAS]
    for cell in cells:
        assert not cell.lstrip(" ").startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_csv_keeps_ordinary_names_as_they_are(client, login, member, new_initiative):
    thread_id = _initiative_with(["Šefik Džaferović"], client, login, member, new_initiative)
    body = client.get(f"/t/{thread_id}/supporters.csv").get_data(as_text=True)
    assert '"Šefik Džaferović"' in body


def test_exports_of_an_unreadable_initiative_are_404(client, login, member, new_initiative):
    category = factories.category("regulation")
    login(member)
    thread_id = new_initiative()
    category.visibility = "members"
    db.session.commit()
    client.post("/logout")
    assert client.get(f"/t/{thread_id}/initiative.odt").status_code == 404
    assert client.get(f"/t/{thread_id}/supporters.csv").status_code == 404
