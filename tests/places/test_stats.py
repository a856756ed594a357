"""Participation figures: who may see them, the small-cell rule, the CSV and the charts."""

from __future__ import annotations

import csv
import io

from board.extensions import db
from board.stats.service import Cell, suppress
from tests import factories


def test_suppression_hides_small_cells_and_one_more_when_alone():
    cells = suppress([Cell("woman", 3), Cell("man", 20), Cell("other", 0), Cell("x", 9)])
    assert [c.value for c in cells] == [None, 20, 0, None]  # 9 hidden too: 32 - 20 = 12
    both = suppress([Cell("a", 2), Cell("b", 4), Cell("c", 30)])
    assert [c.value for c in both] == [None, None, 30]
    series = suppress([Cell("2026-01", 1), Cell("2026-02", 7)], complementary=False)
    assert [c.value for c in series] == [None, 7]


def _posters(places, regulation, women: int, men: int, slug: str = "travnik"):
    municipality = places.municipality_by_slug(slug)
    thread = factories.make_thread(factories.make_user(gender="man", municipality=municipality))
    for gender, count in (("woman", women), ("man", men - 1)):
        for _ in range(count):
            user = factories.make_user(gender=gender, municipality=municipality)
            factories.make_reply(thread, user)
    return thread


def test_admin_sees_share_of_women_and_quiet_municipalities(
    client, login, admin, places, regulation
):
    _posters(places, regulation, women=6, men=9)
    login(admin)
    page = client.get("/admin/stats").get_data(as_text=True)
    main = page.split('id="main"')[1]
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in main and "<script" not in main
    assert 'id="active-posters">15<' in page
    assert 'id="women-share">40 %<' in page
    assert 'href="/places/zenica"' in page.split('id="quiet-heading"')[1]
    assert 'href="/places/travnik"' not in page.split('id="quiet-heading"')[1]


def test_fewer_than_five_women_are_never_shown(client, login, admin, places, regulation):
    _posters(places, regulation, women=2, men=8)
    login(admin)
    page = client.get("/admin/stats").get_data(as_text=True)
    gender_table = page.split('id="table-gender"')[1].split("</table>")[0]
    assert "&lt;5" in gender_table and ">2<" not in gender_table
    assert ">8<" not in gender_table  # the only other group: hidden so 10 - 8 tells nothing
    assert "fewer than five people" in page
    rows = list(csv.reader(io.StringIO(client.get("/admin/stats.csv").get_data(as_text=True))))
    gender = {r[1]: r[3] for r in rows if r[0] == "gender"}
    assert gender["woman"] == "<5" and gender["man"] == "<5"
    assert ["summary", "women_share_of_active_posters", "", "<5"] in rows


def test_csv_download(client, login, admin, places, regulation):
    _posters(places, regulation, women=5, men=5)
    login(admin)
    response = client.get("/admin/stats.csv?months=3")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["table", "key", "label", "value"]
    assert sum(1 for r in rows if r[0] == "posts") == 3
    assert [
        "entity",
        "Federacija Bosne i Hercegovine",
        "Federacija Bosne i Hercegovine",
        "10",
    ] in rows
    assert any(r[0] == "no_active_member" and r[1] == "banja-luka" for r in rows)


def test_moderator_sees_only_own_categories(client, login, moderator_a, association_a, places):
    own = factories.make_category("own-cat", association=association_a)
    other = factories.make_category("other-cat")
    for category, n in ((own, 5), (other, 7)):
        thread = factories.make_thread(category_=category)
        for _ in range(n - 1):
            factories.make_reply(thread, factories.make_user())
    db.session.commit()
    login(moderator_a)
    page = client.get("/admin/stats").get_data(as_text=True)
    assert 'id="active-posters">5<' in page


def test_members_and_guests_get_no_figures(client, login, member):
    assert "/login" in client.get("/admin/stats").headers["Location"]
    assert "/login" in client.get("/admin/stats.csv").headers["Location"]
    login(member)
    assert client.get("/admin/stats").status_code == 403
    assert client.get("/admin/stats.csv").status_code == 403
