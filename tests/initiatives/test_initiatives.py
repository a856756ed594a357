"""Initiatives: the form, the status machine with its documents, support, the listing and
the API, as a member and a moderator see them."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from board.documents.pdfgen import make_pdf
from board.extensions import db
from board.models import LocalCommunity, ModerationAction, Post
from board.models.initiatives import InitiativeEvent, Support
from tests import factories
from tests.initiatives.conftest import initiative, make_place, multipart_post

LETTER = make_pdf([["Federalno ministarstvo pravde", "Inicijativa za izmjenu člana 24."]])
ANSWER = make_pdf([["Odgovor ministarstva", "Prijedlog razmatramo u okviru nacrta zakona"]])


def _assoc_regulation(association):
    category = factories.category("regulation")
    category.association = association
    db.session.commit()
    return category


def test_member_creates_a_draft_initiative_through_the_form(client, login, member, new_initiative):
    login(member)
    thread_id = new_initiative()
    page = client.get(f"/t/{thread_id}").get_data(as_text=True)
    assert "Federalno ministarstvo pravde" in page
    assert "Draft" in page and "Legal basis" in page
    assert initiative(thread_id).status == "draft"
    assert db.session.scalar(
        select(ModerationAction).where(ModerationAction.action == "initiative_create")
    )


def test_a_refused_initiative_form_keeps_what_was_typed(client, login, member):
    login(member)
    response = client.post(
        "/initiatives/new",
        data={"category": "regulation", "title": "Moj naslov", "body": "Tekst", "level": "mars"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Moj naslov" in page
    assert "Choose the level of government from the list." in page
    assert "Write which institution the initiative is addressed to." in page


def test_existing_thread_becomes_an_initiative(client, login, member):
    thread = factories.make_thread(member)
    login(member)
    response = client.post(
        f"/t/{thread.id}/initiative", data={"level": "canton", "addressee": "Vlada KS"}
    )
    assert response.status_code == 302
    assert initiative(thread.id).addressee == "Vlada KS"


def test_status_machine_with_letter_answer_and_search(
    client, login, member, association_a, moderator_a, new_initiative
):
    _assoc_regulation(association_a)
    login(member)
    thread_id = new_initiative()
    # The author opens the draft, and may do nothing more.
    assert (
        client.post(f"/t/{thread_id}/initiative/status", data={"status": "open"}).status_code == 302
    )
    assert initiative(thread_id).status == "open"
    refused = client.post(
        f"/t/{thread_id}/initiative/status", data={"status": "submitted", "reference": "1"}
    )
    assert refused.status_code == 403
    login(moderator_a)
    url = f"/t/{thread_id}/initiative/status"
    missing = multipart_post(
        client, url, {"status": "submitted", "reference": ""}, [("p.pdf", LETTER)]
    )
    assert missing.status_code == 400
    assert "reference number" in missing.get_data(as_text=True)
    no_letter = multipart_post(client, url, {"status": "submitted", "reference": "02-11/26"})
    assert no_letter.status_code == 400 and "Attach the letter" in no_letter.get_data(as_text=True)
    skip = multipart_post(client, url, {"status": "draft"}, [])
    assert skip.status_code == 302  # open -> draft is allowed
    assert (
        multipart_post(client, url, {"status": "answered"}, [("a.pdf", ANSWER)]).status_code == 400
    )
    assert multipart_post(client, url, {"status": "open"}, []).status_code == 302
    sent = multipart_post(
        client, url, {"status": "submitted", "reference": "02-11/26", "note": "Predano na protokol."},
        [("pismo.pdf", LETTER)],
    )  # fmt: skip
    assert sent.status_code == 302
    ini = initiative(thread_id)
    assert (ini.status, ini.reference) == ("submitted", "02-11/26")
    assert ini.submitted_at is not None
    answered = multipart_post(client, url, {"status": "answered"}, [("odgovor.pdf", ANSWER)])
    assert answered.status_code == 302
    no_outcome = multipart_post(client, url, {"status": "closed"}, [])
    assert no_outcome.status_code == 400
    closed = multipart_post(client, url, {"status": "closed", "outcome": "partly"}, [])
    assert closed.status_code == 302
    assert (initiative(thread_id).status, initiative(thread_id).outcome) == ("closed", "partly")
    assert multipart_post(client, url, {"status": "open"}, []).status_code == 400
    # Every step: an audit line, a dated event, a post on the thread.
    audit = db.session.scalars(
        select(ModerationAction).where(ModerationAction.action == "initiative_status")
    ).all()
    assert len(audit) == 6
    events = db.session.scalars(select(InitiativeEvent).order_by(InitiativeEvent.id)).all()
    assert [e.to_status for e in events] == [
        "draft", "open", "draft", "open", "submitted", "answered", "closed",
    ]  # fmt: skip
    page = client.get(f"/t/{thread_id}").get_data(as_text=True)
    assert "pismo.pdf" in page and "odgovor.pdf" in page and "02-11/26" in page
    found = client.get(
        "/api/v1/search", query_string={"q": "razmatramo nacrta", "type": "initiative"}
    ).get_json()
    assert any(r["thread_id"] == thread_id and r["type"] == "document" for r in found["results"])
    none = client.get("/api/v1/search", query_string={"q": "razmatramo", "type": "practice"})
    assert none.get_json()["total"] == 0


def test_moderator_of_another_association_cannot_change_status(
    client, login, member, association_a, moderator_b, new_initiative
):
    _assoc_regulation(association_a)
    login(member)
    thread_id = new_initiative()
    login(moderator_b)
    response = client.post(f"/t/{thread_id}/initiative/status", data={"status": "open"})
    assert response.status_code == 403
    assert initiative(thread_id).status == "draft"


def _opened(client, login, author, new_initiative) -> int:
    login(author)
    thread_id = new_initiative()
    client.post(f"/t/{thread_id}/initiative/status", data={"status": "open"})
    return thread_id


def test_support_on_behalf_of_mz_records_function_and_counts(client, login, member, new_initiative):
    thread_id = _opened(client, login, member, new_initiative)
    stup = make_place("ilidza", "Ilidža", "MZ Stup")
    kakanj = make_place("kakanj", "Kakanj", "MZ Doboj")
    secretary = factories.make_user(display_name="Selma Sekretar", function="secretary", mz=stup)
    president = factories.make_user(
        display_name="Petar Predsjednik", function="president", mz=kakanj,
        municipality=kakanj.municipality,
    )  # fmt: skip
    plain = factories.make_user(display_name="Bez MZ")
    login(plain)
    refused = client.post(f"/t/{thread_id}/support", data={"on_behalf": "mz"})
    assert refused.status_code == 400
    assert "Set your MZ in your profile" in refused.get_data(as_text=True)
    assert client.post(f"/t/{thread_id}/support", data={"on_behalf": "self"}).status_code == 302
    for user in (secretary, president):
        login(user)
        assert client.post(f"/t/{thread_id}/support", data={"on_behalf": "mz"}).status_code == 302
    login(president)
    client.post(f"/t/{thread_id}/support", data={"on_behalf": "mz"})  # twice: still one
    page = client.get(f"/t/{thread_id}").get_data(as_text=True)
    assert "3 members" in page and "2 MZs" in page and "2 municipalities" in page
    assert "on behalf of MZ Stup" in page and "MZ secretary" in page
    row = db.session.scalar(select(Support).where(Support.user_id == secretary.id))
    assert (row.function, row.mz_id) == ("secretary", stup.id)
    login(plain)
    client.post(f"/t/{thread_id}/unsupport")
    assert db.session.scalar(select(func.count(Support.id))) == 2


def test_support_only_while_open(client, login, member, other_member, new_initiative):
    login(member)
    thread_id = new_initiative()
    login(other_member)
    assert client.post(f"/t/{thread_id}/support", data={"on_behalf": "self"}).status_code == 403
    assert db.session.scalar(select(func.count(Support.id))) == 0


def test_listing_filters_sort_and_days_without_answer(
    client, login, member, other_member, admin, new_initiative
):
    login(member)
    quiet = new_initiative(title="Tiha inicijativa", level="canton")
    loud = _opened(client, login, member, new_initiative)
    login(other_member)
    client.post(f"/t/{loud}/support", data={"on_behalf": "self"})
    login(admin)
    multipart_post(
        client,
        f"/t/{loud}/initiative/status",
        {"status": "submitted", "reference": "7"},
        [("l.pdf", LETTER)],
    )
    ini = initiative(loud)
    ini.submitted_at -= timedelta(days=94)
    db.session.commit()
    page = client.get("/initiatives?sort=support").get_data(as_text=True)
    assert page.index(ini.thread.title) < page.index("Tiha inicijativa")
    assert "submitted 94 days ago, no answer" in page
    assert "Tiha inicijativa" not in client.get("/initiatives?status=submitted").get_data(
        as_text=True
    )
    assert "Tiha inicijativa" in client.get("/initiatives?level=canton").get_data(as_text=True)
    assert client.get("/initiatives?status=nonsense").status_code == 400
    data = client.get("/api/v1/initiatives?sort=support").get_json()
    assert data["total"] == 2 and data["page"] == 1
    first = data["results"][0]
    assert set(first) == {
        "id", "title", "status", "outcome", "level", "addressee", "supporters", "mz_count",
        "municipality_count", "submitted_at", "url",
    }  # fmt: skip
    assert (first["id"], first["supporters"], first["status"]) == (loud, 1, "submitted")
    assert first["url"].endswith(f"/t/{loud}")
    assert client.get("/api/v1/initiatives?level=mars").status_code == 400
    assert quiet in [
        r["id"] for r in client.get("/api/v1/initiatives?status=draft").get_json()["results"]
    ]


def test_hidden_initiative_is_not_listed(client, login, member, admin, new_initiative):
    login(member)
    thread_id = new_initiative(title="Skrivena inicijativa")
    ini = initiative(thread_id)
    ini.thread.hidden_at = ini.created_at
    db.session.commit()
    client.post("/logout")
    assert "Skrivena" not in client.get("/initiatives").get_data(as_text=True)
    assert client.get(f"/t/{thread_id}/initiative.odt").status_code == 404


def test_status_post_is_a_dated_event_on_the_thread(client, login, member, new_initiative):
    thread_id = _opened(client, login, member, new_initiative)
    post = db.session.scalars(
        select(Post).where(Post.thread_id == thread_id).order_by(Post.id.desc())
    ).first()
    assert "Initiative status" in post.body_md and not post.is_first


def test_initiative_thread_page_query_count_does_not_grow_with_supporters(
    client, login, member, new_initiative
):
    from tests.sqlcount import counting

    mz_id = make_place("zenica", "Zenica", "MZ Centar").id

    def page_queries(thread_id: int) -> int:
        db.session.remove()
        with counting() as statements:
            assert client.get(f"/t/{thread_id}").status_code == 200
        return len(statements)

    login(member)
    counts = []
    for supporters in (2, 20):
        thread_id = new_initiative(title=f"Inicijativa sa {supporters} potpisa")
        for _n in range(supporters):
            mz = db.session.get(LocalCommunity, mz_id)
            user = factories.make_user(function="council", mz=mz)
            ini = initiative(thread_id)
            db.session.add(
                Support(
                    initiative_id=ini.id, user_id=user.id, on_behalf="mz", mz_id=mz.id,
                    municipality_id=mz.municipality_id, function="council",
                )
            )  # fmt: skip
        db.session.commit()
        counts.append(page_queries(thread_id))
    assert counts[0] == counts[1]


def test_coauthors_named_by_the_author_edit_and_open_the_draft(
    client, login, member, other_member, new_initiative
):
    login(member)
    thread_id = new_initiative()
    url = f"/t/{thread_id}/initiative"
    fields = {"level": "entity", "addressee": "Federalno ministarstvo pravde"}
    unknown = client.post(url, data={**fields, "coauthors": "Niko Nepoznati"})
    assert unknown.status_code == 400
    assert "No member is called Niko Nepoznati." in unknown.get_data(as_text=True)
    assert "Niko Nepoznati" in unknown.get_data(as_text=True)  # what was typed is kept
    assert client.post(url, data={**fields, "coauthors": "boris other\n"}).status_code == 302
    assert [u.id for u in initiative(thread_id).coauthors] == [other_member.id]
    assert "Boris Other" in client.get(f"/t/{thread_id}").get_data(as_text=True)
    login(other_member)
    edited = client.post(
        url, data={**fields, "addressee": "Vlada FBiH", "coauthors": "Boris Other"}
    )
    assert edited.status_code == 302 and initiative(thread_id).addressee == "Vlada FBiH"
    opened = client.post(f"/t/{thread_id}/initiative/status", data={"status": "open"})
    assert opened.status_code == 302 and initiative(thread_id).status == "open"
    assert client.post(url, data=fields).status_code == 403  # no longer a draft


def test_coauthors_by_handle_and_namesakes_asked_for_theirs(
    client, login, member, other_member, new_initiative
):
    from tests import factories

    namesake = factories.make_user(email="boris2@example.ba", display_name="Boris Other")
    login(member)
    thread_id = new_initiative()
    url = f"/t/{thread_id}/initiative"
    fields = {"level": "entity", "addressee": "Vlada FBiH"}
    shared = client.post(url, data={**fields, "coauthors": "Boris Other"})
    assert shared.status_code == 400
    assert "write the @handle" in shared.get_data(as_text=True)
    chosen = client.post(url, data={**fields, "coauthors": f"@{namesake.handle}"})
    assert chosen.status_code == 302
    assert [u.id for u in initiative(thread_id).coauthors] == [namesake.id]
    form = client.get(url).get_data(as_text=True)
    assert f"@{namesake.handle}" in form  # the saved list is shown as handles, unambiguous
    assert other_member.id not in [u.id for u in initiative(thread_id).coauthors]


def test_someone_not_named_cannot_edit_the_draft(
    client, login, member, other_member, new_initiative
):
    login(member)
    thread_id = new_initiative()
    login(other_member)
    url = f"/t/{thread_id}/initiative"
    response = client.post(url, data={"level": "state", "addressee": "X"})
    assert response.status_code == 403
    assert (
        client.post(f"/t/{thread_id}/initiative/status", data={"status": "open"}).status_code == 403
    )
