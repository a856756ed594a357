"""The profile form: places chosen from the map, a proposed MZ, and bad or hostile input
that gets a clear message and a 4xx without losing what was typed."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from board.extensions import db
from board.models import LocalCommunity, User
from tests.conftest import CORPUS

GOOD = {
    "display_name": "Amra Hodžić",
    "function": "secretary",
    "municipality": "travnik",
    "mz": "",
    "bio": "Sekretarka MZ, bavim se budžetiranjem.",
    "gender": "woman",
    "in_directory": "y",
}


@pytest.fixture
def signed_in(client, login, member, places):
    login(member)
    return member


def _save(client, **changes):
    return client.post("/settings", data={**GOOD, **changes})


def _reload(user: User) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


def test_profile_form_offers_the_new_fields(client, signed_in):
    page = client.get("/settings").get_data(as_text=True)
    for name in ("display_name", "function", "municipality", "mz", "bio", "gender", "in_directory"):
        assert f'name="{name}"' in page
    for value in ("president", "council", "secretary", "official", "activist", "association"):
        assert f'value="{value}"' in page
    assert 'value="gornji-vakuf-uskoplje"' in page


def test_member_sets_municipality_and_existing_mz(client, signed_in, places):
    places.add_mz(places.municipality_by_slug("travnik"), "Dolac na Lašvi")
    response = _save(client, mz="dolac na lasvi")
    assert response.status_code == 302
    user = _reload(signed_in)
    assert (user.municipality.slug, user.mz.name, user.function) == (
        "travnik",
        "Dolac na Lašvi",
        "secretary",
    )
    assert (user.gender, user.bio, user.in_directory) == ("woman", GOOD["bio"], True)


def test_settings_open_again_with_the_chosen_mz_filled_in(client, signed_in):
    """The form filled from the account meets ``User.mz``, a place, not text (was a 500)."""
    assert _save(client, mz="Centar", propose_mz="y").status_code == 302
    response = client.get("/settings")
    assert response.status_code == 200
    assert 'name="mz" type="text" value="Centar"' in response.get_data(as_text=True)


def test_missing_mz_is_proposed_and_shown_as_proposed(client, signed_in):
    response = _save(client, mz="Novo Naselje")
    assert response.status_code == 302
    assert "proposed" in client.get("/settings").get_data(as_text=True).lower()
    mz = _reload(signed_in).mz
    assert (mz.name, mz.status, mz.proposed_by_id) == ("Novo Naselje", "proposed", signed_in.id)
    page = client.get("/places/travnik").get_data(as_text=True)
    assert "Novo Naselje" in page and "proposed" in page


def test_abandoned_proposal_is_withdrawn(client, signed_in):
    _save(client, mz="Greškom Upisano")
    _save(client, mz="Ispravno Ime")
    names = set(db.session.scalars(select(LocalCommunity.name)))
    assert names == {"Ispravno Ime"}


def test_unknown_municipality_is_refused_and_input_kept(client, signed_in):
    response = _save(client, municipality="atlantida", bio="Moj tekst ostaje.")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Choose your municipality from the list." in page
    assert "Moj tekst ostaje." in page
    assert _reload(signed_in).municipality is None


def test_mz_of_another_municipality_is_refused_unless_proposed(client, signed_in, places):
    places.add_mz(places.municipality_by_slug("zenica"), "Crkvice")
    response = _save(client, mz="Crkvice")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Travnik has no MZ called Crkvice, but Zenica has." in page
    assert 'value="Crkvice"' in page
    assert _reload(signed_in).mz is None
    assert _save(client, mz="Crkvice", propose_mz="y").status_code == 302
    assert _reload(signed_in).mz.municipality.slug == "travnik"


def test_mz_without_municipality_is_refused(client, signed_in):
    response = _save(client, municipality="", mz="Centar")
    assert response.status_code == 400
    assert "Choose the municipality your MZ belongs to first." in response.get_data(as_text=True)


def test_oversized_bio_and_bad_choices_are_refused(client, signed_in):
    response = _save(client, bio="a" * 1001, gender="robot", function="king")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Write at most 1000 characters about yourself." in page
    assert "Choose one of the options." in page
    assert "Choose a role from the list." in page
    assert _reload(signed_in).bio == ""


def test_typed_place_that_did_not_match_is_shown_to_fix(client, login, places):
    from tests import factories

    user = factories.make_user(municipality_text="Mostar-Jug", mz_text="Stari dio")
    login(user)
    page = client.get("/settings").get_data(as_text=True)
    assert "Mostar-Jug / Stari dio" in page and 'id="place-to-fix"' in page
    client.post("/settings", data={**GOOD, "municipality": "", "bio": "Samo bio."})
    assert (_reload(user).municipality_text, _reload(user).mz_text) == ("Mostar-Jug", "Stari dio")
    client.post("/settings", data={**GOOD, "municipality": "mostar", "mz": "Stari dio"})
    user = _reload(user)
    assert (user.municipality_text, user.mz_text, user.mz.name) == ("", "", "Stari dio")


def _hostile(limit: int | None) -> list[str]:
    strings = json.loads((CORPUS / "naughty" / "blns.json").read_text(encoding="utf-8"))
    strings += (CORPUS / "xss" / "xss-polyglots.txt").read_text(encoding="utf-8").splitlines()
    strings = [s for s in strings if s.strip()]
    return strings[:limit] if limit else strings


def _post_hostile(client, text: str) -> None:
    response = _save(client, display_name=text[:80], bio=text[:1000], mz=text[:100])
    assert response.status_code in (302, 400), text
    if response.status_code == 302:
        page = client.get("/settings").get_data(as_text=True)
        assert "<script>alert" not in page


@pytest.mark.skipif(not CORPUS.exists(), reason="needs ../shared/corpus")
def test_hostile_profile_input_is_stored_as_text_or_refused(client, signed_in):
    for text in _hostile(60):
        _post_hostile(client, text)
    client.post("/settings", data={**GOOD, "bio": "<script>alert(1)</script>\x00"})
    people = client.get("/people").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in people
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in people
    assert "\x00" not in _reload(signed_in).bio


@pytest.mark.slow
@pytest.mark.skipif(not CORPUS.exists(), reason="needs ../shared/corpus")
def test_every_hostile_string_in_every_profile_field(client, signed_in):
    for text in _hostile(None):
        _post_hostile(client, text)
