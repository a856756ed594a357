"""Searching as a user: scoping, filters, re-hydration in rank order, and the safety net."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import event, update

from board.extensions import db
from board.forum import service as forum
from board.models import Post
from board.search import service
from board.search.service import SearchInputError, SearchParams, safe_snippet
from tests import factories


def _post_ids(user, **params) -> list[int]:
    return [r.post_id for r in service.search(user, SearchParams(**params)).results]


@pytest.fixture(autouse=True)
def _request(app):
    """The service speaks the reader's language, which comes from a request."""
    with app.test_request_context("/search"):
        yield


@pytest.fixture
def association_category(association_a):
    return factories.make_category(
        "savez-a-interno", association=association_a, visibility="association"
    )


def test_association_category_is_found_only_by_its_association_and_admins(
    app, association_category, association_a, member, moderator_b, admin
):
    insider = factories.make_user(member_of=association_a)
    thread = factories.make_thread(
        insider, association_category, title="Interni dogovor", body="Povjerljivi budžet saveza."
    )
    post_id = factories.first_post(thread).id
    assert _post_ids(None, q="budžet") == []
    assert _post_ids(member, q="budžet") == []
    assert _post_ids(moderator_b, q="budžet") == []
    assert _post_ids(insider, q="budžet") == [post_id]
    assert _post_ids(admin, q="budžet") == [post_id]


def test_members_only_category_is_hidden_from_anonymous(app, member):
    closed = factories.make_category("clanovi", visibility="members")
    thread = factories.make_thread(member, closed, title="Samo za članove", body="Lozinka wifi.")
    assert _post_ids(None, q="wifi") == []
    assert _post_ids(member, q="wifi") == [factories.first_post(thread).id]


def test_category_filter_narrows_and_unreadable_category_reads_as_unknown(app, member):
    planning = factories.category("planning")
    factories.make_thread(member, title="Vodovod", body="Vodovod u planu.")
    in_planning = factories.make_thread(member, planning, title="Vodovod 2", body="Vodovod opet.")
    assert _post_ids(None, q="vodovod", category="planning") == [
        factories.first_post(in_planning).id
    ]
    factories.make_category("tajna", visibility="members")
    with pytest.raises(SearchInputError) as hidden:
        service.search(None, SearchParams(q="vodovod", category="tajna"))
    with pytest.raises(SearchInputError) as missing:
        service.search(None, SearchParams(q="vodovod", category="nema-je"))
    assert hidden.value.field == missing.value.field == "category"
    assert str(hidden.value).replace("tajna", "X") == str(missing.value).replace("nema-je", "X")


def test_author_filter_by_name_or_id_and_ambiguous_names_offer_choices(app, member, other_member):
    factories.make_thread(member, title="Kanalizacija", body="Kanalizacija curi.")
    theirs = factories.make_thread(other_member, title="Kanalizacija", body="Kanalizacija opet.")
    expected = [factories.first_post(theirs).id]
    assert _post_ids(None, q="kanalizacija", author="boris other") == expected
    assert _post_ids(None, q="kanalizacija", author=str(other_member.id)) == expected
    factories.make_user(display_name="Boris Other")
    with pytest.raises(SearchInputError) as ambiguous:
        service.search(None, SearchParams(q="kanalizacija", author="Boris Other"))
    assert len(ambiguous.value.choices) == 2
    with pytest.raises(SearchInputError):
        service.search(None, SearchParams(q="kanalizacija", author="Niko Nikić"))


def test_solved_only_keeps_answered_threads(app, member, other_member):
    open_thread = factories.make_thread(member, title="Kotlovnica", body="Kotlovnica ne grije.")
    answered = factories.make_thread(member, title="Kotlovnica", body="Kotlovnica opet.")
    answer = factories.make_reply(answered, other_member, "Pozovite dežurnu službu.")
    forum.accept_answer(member, answer)
    ids = _post_ids(None, q="kotlovnica", solved=True)
    assert factories.first_post(answered).id in ids
    assert factories.first_post(open_thread).id not in ids


def test_date_range_and_newest_first(app, member):
    old = factories.make_thread(member, title="Asfaltiranje", body="Asfaltiranje puta.")
    new = factories.make_thread(member, title="Asfaltiranje", body="Asfaltiranje opet.")
    old_post, new_post = factories.first_post(old), factories.first_post(new)
    old_post.created_at = datetime(2023, 5, 10, 9, tzinfo=UTC)
    new_post.created_at = datetime(2025, 2, 1, 9, tzinfo=UTC)
    db.session.commit()
    assert _post_ids(None, q="asfaltiranje", sort="new") == [new_post.id, old_post.id]
    assert _post_ids(None, q="asfaltiranje", date_from=date(2024, 1, 1)) == [new_post.id]
    assert _post_ids(None, q="asfaltiranje", date_to=date(2023, 12, 31)) == [old_post.id]


def test_post_hidden_behind_the_outboxs_back_is_still_never_shown(app, member):
    thread = factories.make_thread(member, title="Ograda", body="Ograda oko škole je pala.")
    post = factories.first_post(thread)
    db.session.execute(update(Post).where(Post.id == post.id).values(deleted_at=datetime.now(UTC)))
    db.session.commit()
    assert f"post:{post.id}" in app.extensions["board_search"].backend().versions()
    assert _post_ids(None, q="ograda") == []


def test_results_are_loaded_in_a_fixed_number_of_queries(app):
    authors = [factories.make_user() for _ in range(6)]
    for n, author in enumerate(authors):
        factories.make_thread(author, title=f"Trotoar {n}", body="Trotoar je oštećen.")
    statements: list[str] = []

    def count(*args):
        statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        few = service.search(None, SearchParams(q="trotoar")).results
        first = len(statements)
        for n, author in enumerate(authors):
            factories.make_thread(author, title=f"Trotoar {n}", body="Trotoar opet.")
        statements.clear()
        many = service.search(None, SearchParams(q="trotoar")).results
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert (len(few), len(many)) == (6, 12)
    assert len(statements) == first


def test_snippet_keeps_only_mark_and_closes_it():
    assert str(safe_snippet("a <mark>b</mark> <script>x</script>", "")) == (
        "a <mark>b</mark> &lt;script&gt;x&lt;/script&gt;"
    )
    assert str(safe_snippet("<mark>open", "")) == "<mark>open</mark>"
    assert str(safe_snippet("", "<b>bold</b> text")) == "&lt;b&gt;bold&lt;/b&gt; text"


def test_a_reply_that_only_quotes_a_word_ranks_below_one_that_says_it(app, member, other_member):
    thread = factories.make_thread(member, title="Pitanje", body="Treba nam pomoć oko zbora.")
    quoting = forum.reply(other_member, thread, "**Amra:**\n> Kako se računa kvorum?\n\nNe znam.")
    saying = forum.reply(member, thread, "Kvorum je većina upisanih birača.")
    found = _post_ids(None, q="kvorum", group="post")
    assert found.index(saying.id) < found.index(quoting.id)
