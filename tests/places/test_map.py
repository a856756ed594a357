"""The map's data file is internally consistent, loads idempotently, and the CLI adds
local communities one by one or in bulk, reporting each line."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select

from board.extensions import db
from board.models import Canton, LocalCommunity, Municipality, User
from board.places.data import read_rows, slugify
from tests import factories

ROWS = read_rows()
UNITS = [r for r in ROWS if r.kind == "municipality"]
CANTONS = {r.slug: r for r in ROWS if r.kind == "canton"}
ENTITIES = {r.slug for r in ROWS if r.kind == "entity"}

# Municipalities and cities per canton, as the cantons' constitutions list them.
PER_CANTON = {
    "unsko-sanski": 8, "posavski": 3, "tuzlanski": 13, "zenicko-dobojski": 12,
    "bosansko-podrinjski": 3, "srednjobosanski": 12, "hercegovacko-neretvanski": 9,
    "zapadnohercegovacki": 4, "sarajevo": 9, "kanton-10": 6,
}  # fmt: skip


def test_every_unit_has_an_entity_and_every_federation_unit_a_canton():
    assert {"fbih", "rs", "bd"} == ENTITIES
    for unit in UNITS:
        assert unit.entity in ENTITIES, unit
        if unit.entity == "fbih":
            assert unit.canton in CANTONS, unit
        else:
            assert unit.canton == "", unit
    assert all(c.entity == "fbih" for c in CANTONS.values())
    assert sorted(int(c.canton) for c in CANTONS.values()) == list(range(1, 11))


def test_counts_per_entity_and_canton():
    per_entity = Counter(u.entity for u in UNITS)
    assert per_entity == {"fbih": 79, "rs": 64, "bd": 1}
    assert Counter(u.canton for u in UNITS if u.entity == "fbih") == PER_CANTON


def test_names_and_slugs_are_unique_and_slugs_follow_the_rule():
    slugs = [r.slug for r in ROWS if r.kind != "entity"]
    assert len(slugs) == len(set(slugs))
    assert len({(u.name, u.entity) for u in UNITS}) == len(UNITS)
    for unit in UNITS:
        assert unit.slug in (slugify(unit.name), f"{slugify(unit.name)}-rs"), unit
        assert unit.name_cyrillic and unit.name_cyrillic != unit.name
    assert {"travnik", "banja-luka", "gornji-vakuf-uskoplje"} <= {u.slug for u in UNITS}


def test_cyrillic_names_read_back_as_the_latin_ones():
    from board.text.script import cyrillic_to_latin

    for row in ROWS:
        assert cyrillic_to_latin(row.name_cyrillic) == row.name, row


def test_load_is_idempotent_and_matches_typed_places(app):
    typed = factories.make_user(municipality_text="tuzla", mz_text="")
    runner = app.test_cli_runner()
    first = runner.invoke(args=["board", "places", "load"])
    assert first.exit_code == 0, first.output
    count = db.session.scalar(select(func.count(Municipality.id)))
    assert count == 144
    assert db.session.scalar(select(func.count(Canton.id))) == 10
    again = runner.invoke(args=["board", "places", "load"])
    assert "0 created, 0 updated" in again.output
    assert db.session.scalar(select(func.count(Municipality.id))) == count
    db.session.expire_all()
    user = db.session.get(User, typed.id)
    assert user.municipality.slug == "tuzla" and user.municipality_text == ""


def test_ambiguous_or_unknown_typed_place_stays_as_text(app, places):
    kupres = factories.make_user(municipality_text="Kupres")
    nowhere = factories.make_user(municipality_text="Atlantida")
    places.match_profiles()
    db.session.commit()
    for user, text in ((kupres, "Kupres"), (nowhere, "Atlantida")):
        db.session.refresh(user)
        assert user.municipality is None and user.municipality_text == text


def test_add_mz_command(app, places):
    runner = app.test_cli_runner()
    ok = runner.invoke(args=["board", "places", "add-mz", "travnik", "Dolac na Lašvi"])
    assert ok.exit_code == 0 and "Added MZ Dolac na Lašvi in Travnik" in ok.output
    again = runner.invoke(args=["board", "places", "add-mz", "travnik", "DOLAC NA LASVI"])
    assert again.exit_code != 0 and "exists already" in again.output
    wrong = runner.invoke(args=["board", "places", "add-mz", "atlantida", "X"])
    assert wrong.exit_code != 0 and "No municipality 'atlantida'" in wrong.output
    assert db.session.scalar(select(func.count(LocalCommunity.id))) == 1


def test_import_mz_reports_each_line(app, places, tmp_path):
    source = tmp_path / "mz.csv"
    source.write_text(
        "municipality,name\n"
        "travnik,Centar\n"
        "travnik,centar\n"
        "nigdje,Centar\n"
        "banja-luka,\n"
        "banja-luka,Starčevica\n"
        "banja-luka,Borik,extra\n"
        f"tuzla,{'x' * 101}\n",
        encoding="utf-8",
    )
    result = app.test_cli_runner().invoke(args=["board", "places", "import-mz", str(source)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "line 2: added: Centar in Travnik"
    assert lines[1] == "line 3: skipped: centar exists in Travnik"
    assert lines[2] == "line 4: refused: no municipality 'nigdje'"
    assert lines[3] == "line 5: refused: name is blank"
    assert lines[4] == "line 6: added: Starčevica in Banja Luka"
    assert lines[5].startswith("line 7: refused: expected two columns")
    assert lines[6] == "line 8: refused: name is too long"
    assert lines[-1] == "2 added, 1 skipped, 4 refused."
    assert db.session.scalar(select(func.count(LocalCommunity.id))) == 2
