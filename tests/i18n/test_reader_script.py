"""The reader's script: members' words shown in Latin or Cyrillic, never stored changed."""

from __future__ import annotations

from sqlalchemy import select

from board.extensions import db
from board.models import Post, Thread
from board.moderation import service as moderation
from tests import factories

LATIN_TITLE = "Budžet mjesne zajednice i Općinsko vijeće"
LATIN_BODY = (
    "Ljudi iz MZ Ilidža pitaju za **budžet**. Pogledajte https://mreza.ba/lj i pišite na "
    "info@mz-ilidza.ba, @amra_nj.\n\n`nj = lj` i odluka.pdf (PDF, UNDP).\n\n"
    "```\nkonjugacija nije kod\n```\n"
)
CYRILLIC_TITLE = "Извјештај о раду савјета МЗ"
CYRILLIC_BODY = "Записник са сједнице, Љубљана, џеп. Прилог је у PDF формату."


def test_cyrillic_reader_sees_latin_posts_in_cyrillic_with_a_bosnian_interface(client, member):
    thread = factories.make_thread(member, title=LATIN_TITLE, body=LATIN_BODY)
    client.post("/language", data={"script": "cyrillic"})
    page = client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert "<h1>Буџет мјесне заједнице и Опћинско вијеће</h1>" in page
    assert "Људи из МЗ Илиџа питају за <strong>буџет</strong>." in page
    for kept in ('href="https://mreza.ba/lj"', ">https://mreza.ba/lj<", "info@mz-ilidza.ba",
                 "@amra_nj", "<code>nj = lj</code>", "odluka.pdf", "(PDF, УНДП)",
                 "konjugacija nije kod"):  # fmt: skip
        assert kept in page, kept
    assert "Kategorije" in page and "Pretraži forum" in page  # the interface stays bs
    assert 'lang="bs"' in page


def test_latin_reader_sees_cyrillic_posts_in_latin(client, member):
    thread = factories.make_thread(member, title=CYRILLIC_TITLE, body=CYRILLIC_BODY)
    client.post("/language", data={"locale": "hr", "script": "latin"})
    page = client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert "<h1>Izvještaj o radu savjeta MZ</h1>" in page
    assert "Zapisnik sa sjednice, Ljubljana, džep. Prilog je u PDF formatu." in page
    listing = client.get(thread.category.url).get_data(as_text=True)
    assert "Izvještaj o radu savjeta MZ" in listing


def test_as_written_shows_each_post_in_its_own_script(client, member):
    latin = factories.make_thread(member, title=LATIN_TITLE, body=LATIN_BODY)
    cyrillic = factories.make_thread(member, title=CYRILLIC_TITLE, body=CYRILLIC_BODY)
    listing = client.get(latin.category.url).get_data(as_text=True)
    assert LATIN_TITLE in listing and CYRILLIC_TITLE in listing
    assert client.get(f"/t/{cyrillic.id}").get_data(as_text=True).count("Записник са сједнице") == 1


def test_nothing_is_stored_changed_and_json_stays_as_written(client, member):
    thread = factories.make_thread(member, title=LATIN_TITLE, body=LATIN_BODY)
    before = factories.first_post(thread).body_html
    client.post("/language", data={"script": "cyrillic"})
    client.get(f"/t/{thread.id}")
    data = client.get(f"/api/v1/threads/{thread.id}").get_json()
    assert data["title"] == LATIN_TITLE
    assert data["posts"][0]["body_html"] == before
    db.session.expire_all()
    assert db.session.scalar(select(Thread.title).where(Thread.id == thread.id)) == LATIN_TITLE
    assert db.session.scalar(select(Post.body_md).where(Post.thread_id == thread.id)) == LATIN_BODY


def test_search_highlight_marks_the_same_words_in_cyrillic(client, member):
    factories.make_thread(
        member,
        title="Sazivanje zbora građana",
        body="Kako sazvati zbor građana u mjesnoj zajednici?",
    )
    client.post("/language", data={"script": "cyrillic"})
    page = client.get("/search?q=zbor").get_data(as_text=True)
    assert "<mark>збор</mark>" in page or "<mark>збора</mark>" in page
    assert "<mark>zbor" not in page


def test_cyrillic_search_finds_latin_posts_and_latin_reader_sees_them_latin(client, member):
    factories.make_thread(member, title="Izvještaj o budžetu", body="Izvještaj za 2024. godinu.")
    client.post("/language", data={"script": "latin"})
    page = client.get("/search?q=извјештај").get_data(as_text=True)
    assert "<mark>Izvještaj</mark>" in page


def test_notifications_show_titles_in_the_readers_script(
    client, login, member, moderator_a, regulation
):
    from board.models import Category

    category = db.session.scalar(select(Category).where(Category.slug == "regulation"))
    category.association_id = moderator_a.memberships[0].association_id
    db.session.commit()
    thread = factories.make_thread(member, category, title=CYRILLIC_TITLE, body=CYRILLIC_BODY)
    moderation.hide_post(moderator_a, factories.first_post(thread), "Нема везе са темом")
    login(member)
    client.post("/language", data={"locale": "hr", "script": "latin"})
    page = client.get("/notifications").get_data(as_text=True)
    assert "Moderator je sakrio vašu objavu u temi" in page  # interface: Croatian
    assert "Izvještaj o radu savjeta MZ" in page and "Nema veze sa temom" in page
    assert "Извјештај" not in page


def test_profile_fields_follow_the_readers_script(client):
    from board.places import service as places

    places.load_map()
    banja_luka = places.municipality_by_slug("banja-luka")  # the map writes it in Latin
    mz = places.add_mz(banja_luka, "Центар")  # a member may write an MZ in Cyrillic
    person = factories.make_user(display_name="Јелена Поповић", municipality=banja_luka, mz=mz)
    client.post("/language", data={"script": "latin"})
    for url in (f"/u/{person.id}", f"/u/{person.handle}"):
        page = client.get(url).get_data(as_text=True)
        assert "Jelena Popović" in page and "Banja Luka" in page and "Centar" in page, url
    client.post("/language", data={"script": "cyrillic"})
    for url in (f"/u/{person.id}", f"/u/{person.handle}", "/places/banja-luka"):
        page = client.get(url).get_data(as_text=True)
        assert "Бања Лука" in page and "Banja Luka" not in page, url


def test_reply_notifications_name_the_actor_and_title_in_the_readers_script(
    client, login, member, other_member
):
    from board.models import Notification

    other_member.display_name = "Boris Babić"
    thread = factories.make_thread(member, title="Budžet mjesne zajednice")
    db.session.add(
        Notification(user_id=member.id, kind="reply", actor_id=other_member.id, thread_id=thread.id)
    )
    db.session.commit()
    login(member)
    client.post("/language", data={"locale": "bs", "script": "cyrillic"})
    page = client.get("/notifications").get_data(as_text=True)
    assert "Борис Бабић je odgovorio/la u temi „Буџет мјесне заједнице“" in page
    assert client.get("/api/v1/notifications").get_json()["items"][0]["title"] == (
        "Budžet mjesne zajednice"  # the API gives what was written
    )


def test_initiative_and_good_practice_pages_follow_the_readers_script(client, member, admin):
    from board.initiatives import practices
    from board.initiatives import service as initiatives

    thread = factories.make_thread(member, title=LATIN_TITLE, body=LATIN_BODY)
    initiative = initiatives.make_initiative(
        member,
        thread,
        level="entity",
        addressee="Federalno ministarstvo pravde",
        legal_basis="Zakon o principima lokalne samouprave, član 24.",
    )
    initiatives.change_status(member, initiative, "open")
    initiatives.support(member, initiative, "self")
    practices.mark_practice(admin, thread, "Građani odlučili o budžetu; uređen park.", [])
    client.post("/language", data={"locale": "sr", "script": "cyrillic"})
    page = client.get(f"/t/{thread.id}").get_data(as_text=True)
    for shown in ("Федерално министарство правде", "Закон о принципима локалне самоуправе",
                  "Грађани одлучили о буџету; уређен парк.", "<li>Амра Мембер,"):  # fmt: skip
        assert shown in page, shown
    listing = client.get("/initiatives").get_data(as_text=True)
    assert "Буџет мјесне заједнице и Опћинско вијеће" in listing
    assert "Федерално министарство правде" in listing
    collection = client.get("/practices").get_data(as_text=True)
    assert "Буџет мјесне заједнице и Опћинско вијеће" in collection
    assert "Грађани одлучили о буџету; уређен парк." in collection
    data = client.get(f"/api/v1/threads/{thread.id}").get_json()
    assert data["title"] == LATIN_TITLE  # stored and served as written
