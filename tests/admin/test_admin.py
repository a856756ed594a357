"""The admin area: associations, memberships, categories, all audited."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from board.extensions import db
from board.models import Association, Category, Membership, ModerationAction
from tests import factories


@pytest.fixture(autouse=True)
def english(client):
    client.set_cookie("lang", "en")


def _actions() -> list[str]:
    return [
        e.action for e in db.session.scalars(select(ModerationAction).order_by(ModerationAction.id))
    ]


def test_admin_creates_association_and_appoints_a_moderator(client, login, admin, member):
    login(admin)
    response = client.post(
        "/admin/associations/new",
        data={"slug": "savez-rs", "name": "Savez opština i gradova RS", "description": ""},
    )
    assert response.status_code == 302
    association = db.session.scalar(select(Association).where(Association.slug == "savez-rs"))
    client.post(
        f"/admin/associations/{association.id}/members",
        data={"email": member.email, "moderator": "y"},
    )
    db.session.refresh(member)
    assert member.moderated_association_ids == {association.id}
    page = client.get(f"/admin/associations/{association.id}").get_data(as_text=True)
    assert member.display_name in page and "Moderator" in page
    client.post(
        f"/admin/associations/{association.id}/members/{member.id}", data={"action": "unappoint"}
    )
    db.session.refresh(member)
    assert member.moderated_association_ids == set()
    assert member.association_ids == {association.id}
    client.post(
        f"/admin/associations/{association.id}/members/{member.id}", data={"action": "remove"}
    )
    assert db.session.scalar(select(Membership)) is None
    assert _actions() == ["create_association", "add_member", "remove_moderator", "remove_member"]


def test_duplicate_association_slug_keeps_input_and_says_why(client, login, admin, association_a):
    login(admin)
    response = client.post(
        "/admin/associations/new", data={"slug": "assoc-a", "name": "Ime koje ostaje"}
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "exists already" in page and "Ime koje ostaje" in page


def test_bad_slug_is_refused(client, login, admin):
    login(admin)
    response = client.post("/admin/associations/new", data={"slug": "Loše Ime!", "name": "X"})
    assert response.status_code == 400
    assert db.session.scalar(select(Association)) is None


def test_adding_unknown_email_is_a_clear_400(client, login, admin, association_a):
    login(admin)
    response = client.post(
        f"/admin/associations/{association_a.id}/members", data={"email": "niko@example.ba"}
    )
    assert response.status_code == 400
    assert "No registered member" in response.get_data(as_text=True)


def test_admin_creates_association_only_category_that_outsiders_cannot_read(
    client, login, admin, association_a, member
):
    insider = factories.make_user(member_of=association_a)
    login(admin)
    response = client.post(
        "/admin/categories/new",
        data={
            "slug": "interno",
            "name": "Interno",
            "association": "assoc-a",
            "visibility": "association",
            "description": "Samo za članove saveza A",
        },
    )
    assert response.status_code == 302
    login(member)
    assert client.get("/c/interno").status_code == 404
    assert "Interno" not in client.get("/").get_data(as_text=True)
    login(insider)
    assert client.get("/c/interno").status_code == 200


def test_rename_archive_and_reassign_category_is_audited(
    client, login, admin, association_b, regulation, member
):
    login(admin)
    response = client.post(
        f"/admin/categories/{regulation.id}",
        data={
            "name": "Propisi",
            "association": "assoc-b",
            "visibility": "public",
            "archived": "y",
            "description": regulation.description,
            "guidelines": "",
            "position": "0",
        },
    )
    assert response.status_code == 302
    db.session.refresh(regulation)
    assert regulation.name == "Propisi" and regulation.archived
    assert regulation.association_id == association_b.id
    entry = db.session.scalar(select(ModerationAction))
    assert entry.before == {"name": "Regulativa", "archived": False, "association": None}
    assert entry.after == {"name": "Propisi", "archived": True, "association": "assoc-b"}
    login(member)
    assert client.get("/c/regulation/new").status_code == 403


def test_reorder_moves_a_category_up(client, login, admin):
    login(admin)
    planning = factories.category("planning")
    client.post(f"/admin/categories/{planning.id}/move", data={"direction": "up"})
    names = [c.slug for c in db.session.scalars(select(Category).order_by(Category.position))]
    assert names.index("planning") < names.index("regulation")
    page = client.get("/").get_data(as_text=True)
    assert page.index("Planiranje") < page.index("Regulativa")


@pytest.mark.parametrize("persona", ["member", "moderator_a", "unconfirmed"])
def test_admin_area_is_403_for_non_admins(request, client, login, persona, association_a):
    login(request.getfixturevalue(persona))
    for path in ("/admin/", f"/admin/associations/{association_a.id}", "/admin/categories/1"):
        assert client.get(path).status_code == 403
    response = client.post("/admin/associations/new", data={"slug": "otmica", "name": "Otmica"})
    assert response.status_code == 403
    assert db.session.scalar(select(Association).where(Association.slug == "otmica")) is None


def test_admin_area_sends_guests_to_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_admin_pages_list_associations_and_categories(
    client, login, admin, association_a, regulation
):
    login(admin)
    page = client.get("/admin/").get_data(as_text=True)
    assert "Savez općina A" in page and "Regulativa" in page
    form = client.get(f"/admin/categories/{regulation.id}").get_data(as_text=True)
    assert 'value="Regulativa"' in form and "assoc-a" in form
    assert client.get("/admin/categories/new").status_code == 200
    assert client.get("/admin/associations/new").status_code == 200
    assert client.get("/admin/categories/99999").status_code == 404
