"""The results page reads as answers: one entry per thread with "N more matches", an
author found by part of a name, accepted answers marked and ranked first."""

from __future__ import annotations

from board.extensions import db
from board.forum import service as forum
from tests import factories


def _api(client, **params) -> dict:
    response = client.get("/api/v1/search", query_string=params)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def test_a_busy_thread_fills_one_result_not_the_page(client, member):
    busy = factories.make_thread(member, title="Rasvjeta u naselju", body="Javna rasvjeta ne radi.")
    for n in range(6):
        factories.make_reply(busy, member, f"Rasvjeta i dalje ne radi, dan {n}.")
    other = factories.make_thread(member, title="Nova rasvjeta", body="Rasvjeta kod škole.")
    grouped = _api(client, q="rasvjeta")
    assert sorted(r["thread_id"] for r in grouped["results"]) == sorted([busy.id, other.id])
    assert grouped["total"] == 2
    matches = {r["thread_id"]: r["matches"] for r in grouped["results"]}
    assert matches == {busy.id: 6, other.id: 0}
    assert len(_api(client, q="rasvjeta", group="post")["results"]) == 8


def test_more_matches_link_lists_that_threads_posts(client, member):
    busy = factories.make_thread(member, title="Deponija", body="Divlja deponija kod rijeke.")
    for n in range(3):
        factories.make_reply(busy, member, f"Deponija je opet veća ({n}).")
    factories.make_thread(member, title="Deponija u polju", body="Još jedna deponija.")
    client.post("/language", data={"locale": "en"})
    page = client.get("/search", query_string={"q": "deponija"}).get_data(as_text=True)
    assert "3 more matches in this thread" in page
    assert f"thread={busy.id}" in page
    only = _api(client, q="deponija", group="post", thread=str(busy.id))
    assert {r["thread_id"] for r in only["results"]} == {busy.id}
    assert only["total"] == 4
    assert "matches" not in only["results"][0]


def test_bad_group_or_thread_gets_a_message(client):
    client.post("/language", data={"locale": "en"})
    assert client.get("/api/v1/search", query_string={"q": "x", "group": "all"}).status_code == 400
    response = client.get("/search", query_string={"q": "x", "thread": "abc"})
    assert response.status_code == 400
    assert "by its number" in response.get_data(as_text=True)


def test_part_of_a_name_finds_the_author(client):
    amra = factories.make_user(display_name="Amra Hodžić")
    factories.make_thread(amra, title="Budžet MZ", body="Budžet za ovu godinu.")
    niko = factories.make_user(display_name="Niko Nikić")
    factories.make_thread(niko, title="Budžet", body="Budžet opštine.")
    results = _api(client, q="budžet", author="amra")["results"]
    assert [r["author"] for r in results] == ["Amra Hodžić"]
    assert [r["author"] for r in _api(client, q="budžet", author="HODŽ")["results"]] == [
        "Amra Hodžić"
    ]


def test_an_ambiguous_author_shows_the_choices_not_a_guess(client):
    factories.make_user(display_name="Amra Hodžić")
    factories.make_user(display_name="Amra Begić")
    client.post("/language", data={"locale": "en"})
    response = client.get("/search", query_string={"q": "budžet", "author": "amra"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Several members match amra" in page
    assert "Amra Hodžić" in page and "Amra Begić" in page


def test_an_exact_name_wins_over_names_containing_it(client):
    ana = factories.make_user(display_name="Ana")
    factories.make_user(display_name="Ana Marić")
    factories.make_thread(ana, title="Zbor", body="Zbor građana u petak.")
    assert [r["author"] for r in _api(client, q="zbor", author="ana")["results"]] == ["Ana"]


def test_accepted_answer_carries_its_badge_and_ranks_first(client, member):
    thread = factories.make_thread(member, title="Pečat", body="Gdje se pravi pečat za MZ?")
    plain = factories.make_reply(thread, member, "Pečat možete naručiti bilo gdje, pečat je pečat.")
    answer = factories.make_reply(thread, member, "Pečat izrađuje ovlašteni graver uz rješenje.")
    forum.set_accepted(thread, answer)
    db.session.commit()
    posts = [r["post_id"] for r in _api(client, q="pečat graver OR pečat", group="post")["results"]]
    assert posts.index(answer.id) < posts.index(plain.id)
    client.post("/language", data={"locale": "en"})
    page = client.get("/search", query_string={"q": "graver", "group": "post"})
    assert 'class="tag tag-answer">Answer<' in page.get_data(as_text=True)
