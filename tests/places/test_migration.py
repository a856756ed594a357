"""The migration keeps what members typed: free-text places survive as ``*_text`` and
``places load`` then moves the ones that name a unit onto the map."""

from __future__ import annotations

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from board.extensions import db
from board.models import User
from tests.conftest import PG_URL

pytestmark = pytest.mark.skipif(bool(PG_URL), reason="rewinds the schema: SQLite copy only")


def test_free_text_places_survive_the_migration_and_are_matched(app):
    from board.places import service as places

    db.session.remove()
    downgrade(revision="fdaffecdfae0")
    db.session.execute(
        text(
            "INSERT INTO users (email, display_name, password_hash, function, municipality, mz,"
            " is_admin, created_at, suspension_reason, approved_posts) VALUES"
            " ('a@x.ba', 'A', 'x', 'council', 'Banja Luka', 'Starčevica', 0, '2025-01-01', '', 0),"
            " ('b@x.ba', 'B', 'x', 'weird', 'Negdje', 'Tamo', 0, '2025-01-01', '', 0)"
        )
    )
    db.session.commit()
    upgrade()
    places.load_map()  # the map first (nothing matches Starčevica yet), then its MZ
    places.add_mz(places.municipality_by_slug("banja-luka"), "Starčevica")
    places.load_map()
    a = db.session.scalar(db.select(User).where(User.email == "a@x.ba"))
    b = db.session.scalar(db.select(User).where(User.email == "b@x.ba"))
    assert (a.municipality.slug, a.mz.name, a.municipality_text, a.function) == (
        "banja-luka",
        "Starčevica",
        "",
        "council",
    )
    assert (b.municipality, b.municipality_text, b.mz_text, b.function) == (
        None,
        "Negdje",
        "Tamo",
        "other",
    )
