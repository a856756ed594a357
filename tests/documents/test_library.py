"""The library at /documents: filters, sorting, and only what the reader may read."""

from __future__ import annotations

import re

import pytest

from board.documents.pdfgen import make_pdf
from tests import factories


def _titles(client, **params) -> list[str]:
    page = client.get("/documents", query_string=params)
    assert page.status_code == 200
    return re.findall(r'<h2><a href="/documents/\d+">([^<]+)</a></h2>', page.get_data(as_text=True))


@pytest.fixture
def shelf(member, login, start_thread):
    """Four documents in two categories, with different types, places and years."""
    login(member)
    pdf = make_pdf([["Tekst dokumenta"]])
    for slug, title, doc_type, municipality, year in (
        ("regulation", "Statut MZ Stup", "statute", "Ilidža", "2021"),
        ("regulation", "Poslovnik savjeta", "rules", "Čapljina", "2023"),
        ("reporting", "Izvještaj o radu 2023", "report", "Čapljina", "2023"),
        ("planning", "Plan rada 2024", "plan", "Žepče", "2024"),
    ):
        response = start_thread(
            [(f"{title}.pdf", pdf)],
            slug=slug,
            title=f"Tema: {title}",
            doc_title=title,
            doc_type=doc_type,
            doc_municipality=municipality,
            doc_year=year,
        )
        assert response.status_code == 302


def test_library_lists_newest_first_and_by_title(shelf, client):
    newest = ["Plan rada 2024", "Izvještaj o radu 2023", "Poslovnik savjeta", "Statut MZ Stup"]
    assert _titles(client) == newest
    assert _titles(client, sort="title") == sorted(newest)


def test_library_filters(shelf, client):
    regulation = factories.category("regulation")
    assert _titles(client, category=regulation.id) == ["Poslovnik savjeta", "Statut MZ Stup"]
    assert _titles(client, type="report") == ["Izvještaj o radu 2023"]
    assert _titles(client, municipality="Čapljina") == [
        "Izvještaj o radu 2023",
        "Poslovnik savjeta",
    ]
    assert _titles(client, year="2023", type="rules") == ["Poslovnik savjeta"]
    assert _titles(client, type="nonsense", year="abc") == _titles(client)  # ignored, not an error


def test_library_offers_the_municipalities_and_years_it_has(shelf, client):
    page = client.get("/documents").get_data(as_text=True)
    assert "<option>Žepče</option>" in page and "<option>2021</option>" in page


def test_library_leaves_out_hidden_posts_and_unreadable_categories(
    shelf, member, admin, association_a, login, client, start_thread
):
    secret = factories.make_category("savez", association=association_a, visibility="association")
    login(admin)
    start_thread(
        [("interno.pdf", make_pdf([["Interno"]]))], slug=secret.slug, doc_title="Interni akt"
    )
    assert "Interni akt" in _titles(client)
    from tests.documents.conftest import documents

    plan = next(d for d in documents() if d.title == "Plan rada 2024")
    client.post(f"/p/{plan.post_id}/hide", data={"reason": "Duplikat"})
    login(member)
    titles = _titles(client)
    assert "Interni akt" not in titles and "Plan rada 2024" not in titles
    assert titles == ["Izvještaj o radu 2023", "Poslovnik savjeta", "Statut MZ Stup"]
