"""@mentions: links in the Markdown pipeline, notifications only where they belong."""

from __future__ import annotations

from board.text.markup import mentioned_handles, render
from tests import factories
from tests.notifications.conftest import notes


def test_a_mention_links_to_the_profile(app, helper):
    html = render("Pitajte @boris.babic, on zna.")
    assert '<a href="/u/boris.babic"' in html and ">@boris.babic</a>" in html


def test_unknown_handles_code_and_links_stay_text(app, helper):
    html = render("`@boris.babic` i @nepostoji i [@boris.babic](https://example.ba)")
    assert '/u/boris.babic"' not in html and "/u/nepostoji" not in html


def test_mentions_in_code_quotes_and_links_do_not_notify():
    text = "> @citiran\n\n```\n@kod\n```\n\n[@link](https://x.ba) i @pravi."
    assert mentioned_handles(text) == ["pravi"]


def test_at_most_ten_mentions_count():
    text = " ".join(f"@clan{i:02d}" for i in range(15))
    assert len(mentioned_handles(text)) == 10


def test_a_mention_notifies_the_member_once(question, helper, third):
    factories.make_reply(question, helper, f"@{third.handle} i opet @{third.handle}, pogledaj.")
    assert [n.kind for n in notes(third)] == ["mention"]


def test_a_mention_added_by_an_edit_notifies_once(question, helper, third):
    from board.forum import service as forum

    reply = factories.make_reply(question, helper, "Pogledat ću propise.")
    assert notes(third) == []
    forum.edit_post(helper, reply, f"Pogledat ću propise. @{third.handle} zna više.")
    assert [n.kind for n in notes(third)] == ["mention"]
    forum.edit_post(helper, reply, f"Pogledao sam propise. @{third.handle} zna više.")
    assert [n.kind for n in notes(third)] == ["mention"], "a second edit does not repeat it"


def test_a_mentioned_watcher_gets_the_mention_not_a_reply(question, asker, helper):
    factories.make_reply(question, helper, f"@{asker.handle} evo odgovora.")
    assert [n.kind for n in notes(asker)] == ["mention"]


def test_no_mention_notification_for_a_post_they_cannot_read(app, helper, third, association_a):
    private = factories.make_category("tajno", association=association_a, visibility="association")
    insider = factories.make_user(display_name="Unutra", member_of=association_a)
    factories.make_thread(insider, private, title="Interno", body=f"@{third.handle} pogledaj")
    assert notes(third) == []


def test_quoting_a_post_notifies_its_author(question, asker, helper):
    factories.make_reply(
        question,
        helper,
        "**Amra:**\n> Pitanje o sazivanju zbora građana u mjesnoj zajednici.\n\nEvo.",
    )
    assert [n.kind for n in notes(asker)] == ["quote"]


def test_a_queued_post_mentions_only_after_approval(app, question, third, admin):
    from board.moderation import service as moderation

    newcomer = factories.make_user(display_name="Novajlija", trusted=False)
    reply = factories.make_reply(question, newcomer, f"@{third.handle} hej")
    assert notes(third) == []
    moderation.approve_post(admin, reply)
    assert [n.kind for n in notes(third)] == ["mention"]


def test_api_lists_notifications(client, login, question, asker, helper):
    reply = factories.make_reply(question, helper, f"@{asker.handle} pogledaj")
    login(asker)
    data = client.get("/api/v1/notifications").get_json()
    assert data["unread"] == 1
    [item] = data["items"]
    assert {k: item[k] for k in ("kind", "read", "actor", "thread_id", "post_id", "title")} == {
        "kind": "mention",
        "read": False,
        "actor": helper.handle,
        "thread_id": question.id,
        "post_id": reply.id,
        "title": question.title,
    }
    assert item["url"] == f"/p/{reply.id}" and item["created_at"] and item["id"]
    client.post("/notifications/read")
    assert client.get("/api/v1/notifications").get_json()["unread"] == 0


def test_api_needs_a_login(client):
    assert client.get("/api/v1/notifications").status_code == 401


def test_moderation_notices_appear_as_kind_moderation(client, login, question, asker, admin):
    from board.moderation import service as moderation

    moderation.hide_thread(admin, question, "Provjera")
    login(asker)
    [item] = client.get("/api/v1/notifications").get_json()["items"]
    assert item["kind"] == "moderation" and "Provjera" in item["text"]
