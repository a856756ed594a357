"""Place pages, the directory, threads tagged with a place, and who speaks in a post."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from board.extensions import db
from board.forum import service as forum
from board.models import LocalCommunity, Thread
from tests import factories
from tests.sqlcount import counting


def _member(places, name: str, slug: str, **fields):
    return factories.make_user(
        display_name=name, municipality=places.municipality_by_slug(slug), **fields
    )


def test_places_index_lists_entities_cantons_and_counts(client, places):
    _member(places, "Amra", "travnik")
    factories.make_thread(_member(places, "Boro", "banja-luka"))
    thread = db.session.scalar(select(Thread))
    thread.municipality = places.municipality_by_slug("travnik")
    db.session.commit()
    page = client.get("/places").get_data(as_text=True)
    for text in ("Federacija Bosne i Hercegovine", "Republika Srpska", "Srednjobosanski kanton"):
        assert text in page
    travnik = page[page.index('href="/places/travnik"') :][:300]
    assert "1 member" in travnik and "1 thread" in travnik


def test_municipality_page_is_two_clicks_from_home(client, places):
    home = client.get("/").get_data(as_text=True)
    assert 'href="/places"' in home
    assert 'href="/places/gornji-vakuf-uskoplje"' in client.get("/places").get_data(as_text=True)
    page = client.get("/places/gornji-vakuf-uskoplje")
    assert page.status_code == 200 and "Горњи Вакуф-Ускопље" in page.get_data(as_text=True)
    assert client.get("/places/atlantida").status_code == 404


def test_municipality_page_shows_members_only_to_members(client, login, places, member):
    _member(places, "Vesna Travnička", "travnik")
    _member(places, "Skrivena Osoba", "travnik", in_directory=False)
    assert "Vesna Travnička" not in client.get("/places/travnik").get_data(as_text=True)
    login(member)
    page = client.get("/places/travnik").get_data(as_text=True)
    assert "Vesna Travnička" in page and "Skrivena Osoba" not in page


def test_moderator_adds_and_confirms_mz_member_cannot(client, login, places, moderator_a, member):
    login(member)
    assert client.post("/places/travnik/mz", data={"name": "Guča Gora"}).status_code == 403
    login(moderator_a)
    assert client.post("/places/travnik/mz", data={"name": "Guča Gora"}).status_code == 302
    again = client.post("/places/travnik/mz", data={"name": "guca gora"})
    assert again.status_code == 400
    assert "already has an MZ of that name" in again.get_data(as_text=True)
    blank = client.post("/places/travnik/mz", data={"name": "  \x00 "})
    assert blank.status_code == 400
    proposal = places.new_mz(
        places.municipality_by_slug("travnik"), "Kalibunar", proposed_by=member
    )
    db.session.commit()
    assert client.post(f"/places/mz/{proposal.id}/confirm").status_code == 302
    db.session.expire_all()
    assert db.session.get(LocalCommunity, proposal.id).status == "confirmed"


def test_post_shows_author_function_and_municipality(client, places):
    author = _member(places, "Amra", "travnik", function="secretary")
    thread = factories.make_thread(author)
    page = client.get(thread.url).get_data(as_text=True)
    head = page[page.index('class="author"') :][:400]
    assert "MZ secretary" in head and "Travnik" in head


def _thread_with_placed_authors(places, count: int) -> int:
    slugs = ["travnik", "tuzla", "zenica", "mostar", "bihac", "banja-luka", "trebinje"]
    author = _member(places, "Prva", slugs[0])
    first = forum.start_thread(author, factories.category("regulation"), "Tema", "Prvi.")
    for n in range(count - 1):
        forum.reply(_member(places, f"Autor {n}", slugs[n % len(slugs)]), first.thread, "Da.")
    db.session.commit()
    return first.thread.id


def test_thread_page_query_count_stays_constant_with_placed_authors(client, places):
    counts = []
    for size in (2, 14):
        thread_id = _thread_with_placed_authors(places, size)
        db.session.remove()
        with counting() as statements:
            assert client.get(f"/t/{thread_id}").status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]


def test_new_thread_is_tagged_with_a_place_default_the_authors(client, login, places):
    author = _member(places, "Amra", "travnik")
    login(author)
    form = client.get("/c/regulation/new").get_data(as_text=True)
    assert '<option selected value="travnik">' in form or 'value="travnik" selected' in form
    response = client.post(
        "/c/regulation/new",
        data={"title": "Participativni budžet", "body": "Kako?", "municipality": "zenica"},
    )
    assert response.status_code == 302
    thread = db.session.scalar(select(Thread).where(Thread.title == "Participativni budžet"))
    assert thread.municipality.slug == "zenica"
    page = client.get(thread.url).get_data(as_text=True)
    assert 'href="/places/zenica"' in page
    assert "Participativni budžet" in client.get("/places/zenica").get_data(as_text=True)
    bad = client.post(
        "/c/regulation/new", data={"title": "Druga", "body": "Tekst ostaje.", "municipality": "x"}
    )
    assert bad.status_code == 400
    assert "Choose the municipality from the list." in bad.get_data(as_text=True)
    assert "Tekst ostaje." in bad.get_data(as_text=True)


def _tagged(places, title: str, slug: str | None) -> Thread:
    thread = factories.make_thread(title=title, body="Zajednički pojam: kanalizacija.")
    thread.municipality = places.municipality_by_slug(slug) if slug else None
    db.session.commit()
    return thread


def test_search_place_filters_threads_with_right_totals(client, places):
    for n in range(3):
        _tagged(places, f"Travnik {n}", "travnik")
    _tagged(places, "Zenica", "zenica")
    _tagged(places, "Bez mjesta", None)
    everything = client.get("/api/v1/search?q=kanalizacija").get_json()
    assert everything["total"] == 5
    travnik = client.get("/api/v1/search?q=kanalizacija&place=travnik").get_json()
    assert travnik["total"] == 3
    assert {r["title"] for r in travnik["results"]} == {"Travnik 0", "Travnik 1", "Travnik 2"}
    page = client.get("/search?q=kanalizacija&place=zenica").get_data(as_text=True)
    assert "Bez mjesta" not in page and "Zenica ·" in page
    unknown = client.get("/api/v1/search?q=kanalizacija&place=atlantida")
    assert unknown.status_code == 400 and "atlantida" in unknown.get_json()["message"]


# Directory -----------------------------------------------------------------------------


@pytest.fixture
def network(places):
    a = factories.make_association(slug="savez-fbih", name="Savez općina FBiH")
    people = {
        "amra": _member(places, "Amra Travnička", "travnik", function="secretary", member_of=a),
        "boro": _member(places, "Boro Banjalučki", "banja-luka", function="president"),
        "cana": _member(places, "Cana Tuzlanska", "tuzla", function="activist"),
        "hidden": _member(places, "Skriveni Sekretar", "travnik", function="secretary",
                          in_directory=False),
    }  # fmt: skip
    question = factories.make_thread(people["boro"])
    answer = factories.make_reply(question, people["cana"])
    forum.set_accepted(question, answer)
    db.session.commit()
    return people


def _names(client, query: str = "") -> list[str]:
    page = client.get(f"/people{query}").get_data(as_text=True)
    names = ["Amra Travnička", "Boro Banjalučki", "Cana Tuzlanska", "Skriveni Sekretar"]
    found = [(page.find(f">{n}</a>"), n) for n in names if f">{n}</a>" in page]
    return [n for _, n in sorted(found)]


def test_guests_see_no_directory(client, network):
    response = client.get("/people")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_directory_filters_sorts_and_hides(client, login, member, network):
    login(member)
    assert _names(client)[0] == "Cana Tuzlanska"  # most accepted answers first
    assert "Skriveni Sekretar" not in _names(client)
    assert _names(client, "?sort=name") == ["Amra Travnička", "Boro Banjalučki", "Cana Tuzlanska"]
    assert _names(client, "?municipality=travnik") == ["Amra Travnička"]
    assert _names(client, "?entity=rs") == ["Boro Banjalučki"]
    assert _names(client, "?function=activist") == ["Cana Tuzlanska"]
    assert _names(client, "?association=savez-fbih") == ["Amra Travnička"]
    assert _names(client, "?q=banjal") == ["Boro Banjalučki"]
    assert _names(client, "?q=%25") == []
    assert client.get("/people?page=abc&sort=evil").status_code == 200


def test_hidden_member_sees_only_herself_marked(client, login, network):
    login(network["hidden"])
    page = client.get("/people").get_data(as_text=True)
    assert "Skriveni Sekretar" in page and "only you see this" in page


def test_directory_paginates(client, login, member, places):
    for n in range(35):
        _member(places, f"Član {n:02d}", "travnik")
    login(member)
    first = client.get("/people?sort=name").get_data(as_text=True)
    assert "Član 00" in first and "Član 34" not in first and 'rel="next"' in first
    second = client.get("/people?sort=name&page=2").get_data(as_text=True)
    assert "Član 34" in second
