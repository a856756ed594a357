"""The permissions table: persona × action × category, each cell one request through the
real client, asserting both the response and whether the change really happened.

Categories: ``a`` (public, association A), ``b`` (public, association B), ``members``
(members only, association B) and ``assoc`` (association A's members only).
Outcomes: ``ok`` (done), ``400`` (a choice the form does not offer), ``403``, ``404``, ``login`` (sent to the login page); for pages that
list things, ``shown`` or ``absent`` (200, with or without the category's item).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from jinja2 import FileSystemBytecodeCache
from sqlalchemy import func, select

from board.auth.passwords import hash_password
from board.extensions import db
from board.forum import service as forum
from board.models import (
    Category,
    Document,
    Entity,
    Flag,
    LocalCommunity,
    Membership,
    ModerationAction,
    Municipality,
    Post,
    PostingRestriction,
    SearchOutbox,
    Thread,
    ThreadRead,
    User,
    Watch,
)
from board.models.base import utcnow
from board.models.initiatives import Initiative, Practice, PracticeTag, Support
from tests import factories
from tests.conftest import PG_URL

PERSONAS = (
    "anonymous",
    "unconfirmed",
    "member",
    "suspended",
    "moderator_a",
    "moderator_b",
    "admin",
)
CATEGORIES = ("a", "b", "members", "assoc")

# fmt: off
WRITE_AS_MEMBER = {  # start a thread, reply, flag: any confirmed, unsuspended reader
    "anonymous":   "login login login login",
    "unconfirmed": "403   403   403   404",
    "member":      "ok    ok    ok    404",
    "suspended":   "403   403   403   404",
    "moderator_a": "ok    ok    ok    ok",
    "moderator_b": "ok    ok    ok    404",
    "admin":       "ok    ok    ok    ok",
}
MODERATE_VISIBLE = {  # acting on something every reader sees: 403 for non-moderators
    "anonymous":   "login login login login",
    "unconfirmed": "403   403   403   404",
    "member":      "403   403   403   404",
    "suspended":   "403   403   403   404",
    "moderator_a": "ok    403   403   ok",
    "moderator_b": "403   ok    ok    404",
    "admin":       "ok    ok    ok    ok",
}
MODERATE_HIDDEN = {  # acting on something only moderators see: it does not exist for others
    "anonymous":   "login login login login",
    "unconfirmed": "404   404   404   404",
    "member":      "404   404   404   404",
    "suspended":   "404   404   404   404",
    "moderator_a": "ok    404   404   ok",
    "moderator_b": "404   ok    ok    404",
    "admin":       "ok    ok    ok    ok",
}
QUEUE_LISTING = {  # /mod and /mod/log: only the moderator's own categories' items
    "anonymous":   "login  login  login  login",
    "unconfirmed": "403    403    403    403",
    "member":      "403    403    403    403",
    "suspended":   "403    403    403    403",
    "moderator_a": "shown  absent absent shown",
    "moderator_b": "absent shown  shown  absent",
    "admin":       "shown  shown  shown  shown",
}
READ_BY_ID = {  # JSON, documents, feeds: what may not be read is a 404 for everyone
    "anonymous":   "ok ok 404 404",
    "unconfirmed": "ok ok ok  404",
    "member":      "ok ok ok  404",
    "suspended":   "ok ok ok  404",
    "moderator_a": "ok ok ok  ok",
    "moderator_b": "ok ok ok  404",
    "admin":       "ok ok ok  ok",
}
READ_LISTING = {  # listings, search, documents library, site feed: restricted items only to readers
    "anonymous":   "shown shown absent absent",
    "unconfirmed": "shown shown shown  absent",
    "member":      "shown shown shown  absent",
    "suspended":   "shown shown shown  absent",
    "moderator_a": "shown shown shown  shown",
    "moderator_b": "shown shown shown  absent",
    "admin":       "shown shown shown  shown",
}
QUEUED_THREAD_PAGE = {  # a reply in a thread still awaiting approval: only its moderators see it
    **MODERATE_HIDDEN,
    "anonymous":   "404 404 404   404",  # a guest's 404 is the same as for a missing thread
}
QUEUED_THREAD_BY_ID = {  # the same through JSON and documents: never a login redirect
    **MODERATE_HIDDEN,
    "anonymous":   "404 404 404   404",
}
QUEUED_THREAD_NOWHERE = {  # feeds keep what they fetched: a queued thread is in none, for anyone
    persona: "404 404 404 404" for persona in QUEUED_THREAD_PAGE
}
QUEUED_THREAD_LISTED = {  # listings and search hold only what every reader sees
    persona: "absent absent absent absent" for persona in QUEUED_THREAD_PAGE
}
DELETE_OWN = {  # delete one's own post, or take that back: authors who may post (or could)
    "anonymous":   "login login login login",
    "unconfirmed": "ok    ok    ok    404",
    "member":      "ok    ok    ok    404",
    "suspended":   "403   403   403   404",
    "moderator_a": "ok    ok    ok    ok",
    "moderator_b": "ok    ok    ok    404",
    "admin":       "ok    ok    ok    ok",
}
TABLE: dict[str, dict[str, str]] = {
    "read": {  # a guest's 404 is the same as for a thread that does not exist
        "anonymous":   "ok ok 404 404",
        "unconfirmed": "ok ok ok    404",
        "member":      "ok ok ok    404",
        "suspended":   "ok ok ok    404",
        "moderator_a": "ok ok ok    ok",
        "moderator_b": "ok ok ok    404",
        "admin":       "ok ok ok    ok",
    },
    "api_thread": READ_BY_ID,
    "api_categories": READ_LISTING,
    "search": READ_LISTING,
    "api_search": READ_LISTING,
    "documents": READ_LISTING,
    "document_page": READ_BY_ID,
    "feed": READ_LISTING,
    "category_feed": READ_BY_ID,
    "thread_feed": READ_BY_ID,
    "queued_read": QUEUED_THREAD_PAGE,
    "queued_permalink": QUEUED_THREAD_PAGE,
    "queued_revisions": QUEUED_THREAD_PAGE,
    "queued_api_thread": QUEUED_THREAD_BY_ID,
    "queued_document_page": QUEUED_THREAD_BY_ID,
    "queued_thread_feed": QUEUED_THREAD_NOWHERE,
    "queued_feed": QUEUED_THREAD_LISTED,
    "queued_search": QUEUED_THREAD_LISTED,
    "queued_documents": QUEUED_THREAD_LISTED,
    "start_thread": WRITE_AS_MEMBER,
    "reply": WRITE_AS_MEMBER,
    "edit_own": WRITE_AS_MEMBER,
    "edit_other": MODERATE_VISIBLE,
    "delete_own": DELETE_OWN,
    "delete_other": {
        "anonymous":   "login login login login",
        "unconfirmed": "403   403   403   404",
        "member":      "403   403   403   404",
        "suspended":   "403   403   403   404",
        "moderator_a": "403   403   403   403",
        "moderator_b": "403   403   403   404",
        "admin":       "ok    ok    ok    ok",
    },
    "undo_delete_own": DELETE_OWN,
    "undo_delete_other": {
        "anonymous":   "login login login login",
        "unconfirmed": "403   403   403   404",
        "member":      "403   403   403   404",
        "suspended":   "403   403   403   404",
        "moderator_a": "403   403   403   403",
        "moderator_b": "403   403   403   404",
        "admin":       "403   403   403   403",
    },
    "flag": WRITE_AS_MEMBER,
    "hide": MODERATE_VISIBLE,
    "restore": MODERATE_HIDDEN,
    "approve": MODERATE_HIDDEN,
    "lock": MODERATE_VISIBLE,
    "pin": MODERATE_VISIBLE,
    "move": MODERATE_VISIBLE,
    "hide_thread": MODERATE_VISIBLE,
    "accept": MODERATE_VISIBLE,
    "edit_category": MODERATE_VISIBLE,
    "view_mod": QUEUE_LISTING,
    "view_log": QUEUE_LISTING,
    "open_flag": MODERATE_HIDDEN,
    "open_log_entry": MODERATE_HIDDEN,
    "restrict_poster": {  # a moderator's power ends at the association's own categories
        "anonymous":   "login login login login",
        "unconfirmed": "403   403   403   403",
        "member":      "403   403   403   403",
        "suspended":   "403   403   403   403",
        "moderator_a": "ok    400   400   ok",
        "moderator_b": "400   ok    ok    400",
        "admin":       "ok    ok    ok    ok",
    },
    "suspend_poster": {  # board-wide suspension is for admins only
        "anonymous":   "login login login login",
        "unconfirmed": "403   403   403   403",
        "member":      "403   403   403   403",
        "suspended":   "403   403   403   403",
        "moderator_a": "400   400   400   400",
        "moderator_b": "400   400   400   400",
        "admin":       "ok    ok    ok    ok",
    },
    "directory": {
        "anonymous":   "login login login login",
        "unconfirmed": "403   403   403   403",
        "member":      "shown shown shown shown",
        "suspended":   "shown shown shown shown",
        "moderator_a": "shown shown shown shown",
        "moderator_b": "shown shown shown shown",
        "admin":       "shown shown shown shown",
    },
    "directory_hidden": {
        "anonymous":   "login  login  login  login",
        "unconfirmed": "403    403    403    403",
        "member":      "absent absent absent absent",
        "suspended":   "absent absent absent absent",
        "moderator_a": "absent absent absent absent",
        "moderator_b": "absent absent absent absent",
        "admin":       "absent absent absent absent",
    },
    "add_mz": {
        "anonymous":   "login login login login",
        "unconfirmed": "403   403   403   403",
        "member":      "403   403   403   403",
        "suspended":   "403   403   403   403",
        "moderator_a": "ok    ok    ok    ok",
        "moderator_b": "ok    ok    ok    ok",
        "admin":       "ok    ok    ok    ok",
    },
    "stats": {
        "anonymous":   "login login login login",
        "unconfirmed": "403   403   403   403",
        "member":      "403   403   403   403",
        "suspended":   "403   403   403   403",
        "moderator_a": "ok    ok    ok    ok",
        "moderator_b": "ok    ok    ok    ok",
        "admin":       "ok    ok    ok    ok",
    },
    "watch_thread": {
        "anonymous":   "login login login login",
        "unconfirmed": "ok    ok    ok    404",
        "member":      "ok    ok    ok    404",
        "suspended":   "ok    ok    ok    404",
        "moderator_a": "ok    ok    ok    ok",
        "moderator_b": "ok    ok    ok    404",
        "admin":       "ok    ok    ok    ok",
    },
    "watch_category": {
        "anonymous":   "login login login login",
        "unconfirmed": "ok    ok    ok    404",
        "member":      "ok    ok    ok    404",
        "suspended":   "ok    ok    ok    404",
        "moderator_a": "ok    ok    ok    ok",
        "moderator_b": "ok    ok    ok    404",
        "admin":       "ok    ok    ok    ok",
    },
    "mark_category_read": {
        "anonymous":   "login login login login",
        "unconfirmed": "ok    ok    ok    404",
        "member":      "ok    ok    ok    404",
        "suspended":   "ok    ok    ok    404",
        "moderator_a": "ok    ok    ok    ok",
        "moderator_b": "ok    ok    ok    404",
        "admin":       "ok    ok    ok    ok",
    },
    "mentioned": {  # a mention notifies only members who may read the post
        "anonymous":   "login login login  login",
        "unconfirmed": "shown shown shown  absent",
        "member":      "shown shown shown  absent",
        "suspended":   "shown shown shown  absent",
        "moderator_a": "shown shown shown  shown",
        "moderator_b": "shown shown shown  absent",
        "admin":       "shown shown shown  shown",
    },
    "admin_category": {
        "anonymous":   "login login login login",
        "unconfirmed": "403   403   403   403",
        "member":      "403   403   403   403",
        "suspended":   "403   403   403   403",
        "moderator_a": "403   403   403   403",
        "moderator_b": "403   403   403   403",
        "admin":       "ok    ok    ok    ok",
    },
    # Initiatives and good practice (issue 10): the thread's author is "poster", never
    # the persona, so these are the powers of everyone but the author.
    "make_initiative": MODERATE_VISIBLE,
    "initiative_open": MODERATE_VISIBLE,  # draft -> open
    "initiative_close": MODERATE_VISIBLE,  # open -> closed (rejected)
    "initiative_skip": {  # draft -> submitted is no step of the machine: 400 for those allowed
        "anonymous":   "login login login login",
        "unconfirmed": "403   403   403   404",
        "member":      "403   403   403   404",
        "suspended":   "403   403   403   404",
        "moderator_a": "400   403   403   400",
        "moderator_b": "403   400   400   404",
        "admin":       "400   400   400   400",
    },
    "support": WRITE_AS_MEMBER,
    "support_draft": {  # nobody signs a draft
        "anonymous":   "login login login login",
        "unconfirmed": "403   403   403   404",
        "member":      "403   403   403   404",
        "suspended":   "403   403   403   404",
        "moderator_a": "403   403   403   403",
        "moderator_b": "403   403   403   404",
        "admin":       "403   403   403   403",
    },
    "initiatives": READ_LISTING,
    "api_initiatives": READ_LISTING,
    "initiative_odt": READ_BY_ID,
    "supporters_csv": READ_BY_ID,
    "mark_practice": MODERATE_VISIBLE,
    "practices": READ_LISTING,
    "practice_tags": {
        "anonymous":   "login login login login",
        "unconfirmed": "403   403   403   403",
        "member":      "403   403   403   403",
        "suspended":   "403   403   403   403",
        "moderator_a": "403   403   403   403",
        "moderator_b": "403   403   403   403",
        "admin":       "ok    ok    ok    ok",
    },
}

# A category no association owns (the founding Učešće građana): admins moderate it, and
# no association's moderator does. Same actions as above, one column.
UNOWNED_VISIBLE = {
    "anonymous": "login", "unconfirmed": "403", "member": "403", "suspended": "403",
    "moderator_a": "403", "moderator_b": "403", "admin": "ok",
}
UNOWNED_HIDDEN = {**UNOWNED_VISIBLE, "unconfirmed": "404", "member": "404", "suspended": "404",
                  "moderator_a": "404", "moderator_b": "404"}
UNOWNED_LISTING = {**UNOWNED_VISIBLE, "moderator_a": "absent", "moderator_b": "absent",
                   "admin": "shown"}
UNOWNED: dict[str, dict[str, str]] = {
    "hide": UNOWNED_VISIBLE,
    "edit_other": UNOWNED_VISIBLE,
    "lock": UNOWNED_VISIBLE,
    "move": UNOWNED_VISIBLE,
    "hide_thread": UNOWNED_VISIBLE,
    "edit_category": UNOWNED_VISIBLE,
    "restore": UNOWNED_HIDDEN,
    "approve": UNOWNED_HIDDEN,
    "open_flag": UNOWNED_HIDDEN,
    "open_log_entry": UNOWNED_HIDDEN,
    "view_mod": UNOWNED_LISTING,
    "view_log": UNOWNED_LISTING,
}
# fmt: on

MOVE_TARGET = {"a": "assoc", "assoc": "a", "b": "members", "members": "b", "unowned": "a"}
PLACES = {
    "unowned": lambda a, b: (None, "public"),
    "a": lambda a, b: (a, "public"),
    "b": lambda a, b: (b, "public"),
    "members": lambda a, b: (b, "members"),
    "assoc": lambda a, b: (a, "association"),
}


@dataclass
class Place:
    """What a category holds: a thread with a document, a reply, a hidden and a queued
    reply, a report on the reply and an audit line; and a newcomer's thread still
    awaiting approval, with an admin's reply (``pending``) carrying a document."""

    category: Category
    thread: Thread
    reply: Post
    hidden: Post
    queued: Post
    flag: Flag
    entry: ModerationAction
    document: Document
    pending: Post
    pending_document: Document
    own: Post | None = None


@pytest.fixture(scope="session")
def password_hash() -> str:
    """One real scrypt hash shared by the table's accounts, so 600 cells stay quick."""
    return hash_password(factories.PASSWORD)


def _user(name: str, password_hash: str, **fields) -> User:
    user = User(
        email=f"{name}@perm.example.ba",
        display_name=name,
        password_hash=password_hash,
        confirmed_at=fields.pop("confirmed_at", utcnow()),
        approved_posts=fields.pop("approved_posts", 10),
        **fields,
    )
    db.session.add(user)
    return user


def _persona(name: str, password_hash: str, a, b) -> User | None:
    if name == "anonymous":
        return None
    if name == "unconfirmed":
        return _user(name, password_hash, confirmed_at=None)
    if name == "suspended":
        user = _user(name, password_hash, suspension_reason="Table")
        user.suspended_until = utcnow() + timedelta(days=3)
        return user
    user = _user(name, password_hash, is_admin=name == "admin")
    association = {"moderator_a": a, "moderator_b": b}.get(name)
    if association is not None:
        db.session.add(Membership(user=user, association=association, is_moderator=True))
    return user


def _place(key: str, a, b, poster: User, newcomer: User, flagger: User, staff: User) -> Place:
    category = _bare_category(key, a, b)
    first = forum.start_thread(poster, category, f"Tema {key}: zvjezdarnica", f"Pitanje u {key}.")
    thread = first.thread
    document = Document(
        post=first, uploader=poster, sha256="0" * 64, size=4, filename=f"doc-{key}.txt",
        mime="text/plain", kind="text", title=f"DOC-{key}", extraction_status="done", text="T",
    )  # fmt: skip
    db.session.add(document)
    reply = forum.reply(poster, thread, f"Odgovor u {key}.")
    hidden = forum.reply(poster, thread, f"Skriveno u {key}.")
    hidden.hidden_at, hidden.hidden_reason = utcnow(), "Table"
    queued = forum.reply(newcomer, thread, f"Na čekanju u {key}.")
    assert not queued.approved
    flag = Flag(post=reply, user=flagger, reason="spam", text=f"FLAG-{key}")
    db.session.add(flag)
    db.session.flush()
    entry = ModerationAction(
        actor=staff, action="lock_thread", target_type="thread", target_id=thread.id,
        category_id=category.id, reason=f"LOG-{key}",
    )  # fmt: skip
    db.session.add(entry)
    waiting = forum.start_thread(newcomer, category, f"Čeka {key}: zvjezdarnica", "Pitanje.")
    assert not waiting.thread.approved
    pending = forum.reply(staff, waiting.thread, f"Odgovor na čekanju {key}: zvjezdarnica.")
    pending_document = Document(
        post=pending, uploader=staff, sha256="1" * 64, size=4, filename=f"q-{key}.txt",
        mime="text/plain", kind="text", title=f"QDOC-{key}", extraction_status="done", text="Q",
    )  # fmt: skip
    db.session.add(pending_document)
    return Place(
        category, thread, reply, hidden, queued, flag, entry, document, pending, pending_document
    )


@pytest.fixture(scope="session")
def template_cache(tmp_path_factory):
    """Compiled templates shared between the table's many app instances (speed only)."""
    return FileSystemBytecodeCache(str(tmp_path_factory.mktemp("jinja")))


def _bare_category(key: str, a, b) -> Category:
    association, visibility = PLACES[key](a, b)
    category = Category(
        slug=f"perm-{key}", name=f"Kategorija {key}", association=association,
        visibility=visibility, position=50,
    )  # fmt: skip
    db.session.add(category)
    return category


@pytest.fixture(scope="session")
def snapshots(tmp_path_factory) -> dict:
    """Worlds built once per (persona, category): a copy of the database and the search
    index, and the ids of what the cells act on. Each cell still starts from its own copy.
    SQLite only; on PostgreSQL every cell builds its world."""
    return {"dir": tmp_path_factory.mktemp("worlds"), "ids": {}}


def _combo(request) -> tuple[str, str] | None:
    callspec = getattr(request.node, "callspec", None)
    params = callspec.params if callspec else {}
    return (params["persona"], params["key"]) if {"persona", "key"} <= set(params) else None


@pytest.fixture
def app_config(app_config, snapshots, request):
    """Start the cell from its world's snapshot when that world was built already."""
    combo = _combo(request)
    if PG_URL or combo not in snapshots["ids"]:
        return app_config
    source = snapshots["dir"] / "-".join(combo)
    target = Path(app_config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"))
    for suffix in ("", "-wal"):
        if (source / f"board.sqlite3{suffix}").exists():
            shutil.copy(source / f"board.sqlite3{suffix}", f"{target}{suffix}")
    if (source / "index").exists():
        shutil.copytree(source / "index", Path(app_config["INSTANCE_PATH"]) / "index")
    return app_config


def _save(app, snapshots: dict, combo: tuple[str, str], persona: User | None, place: Place) -> None:
    """Keep the freshly built world for the other cells of the same persona and category."""
    if db.session.scalar(select(func.count(SearchOutbox.id))):
        return  # the index is not complete yet: do not reuse this world
    target = snapshots["dir"] / "-".join(combo)
    target.mkdir()
    database = Path(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"))
    for suffix in ("", "-wal"):
        if Path(f"{database}{suffix}").exists():
            shutil.copy(f"{database}{suffix}", target / f"board.sqlite3{suffix}")
    if Path(app.config["SEARCH_INDEX_PATH"]).exists():
        shutil.copytree(app.config["SEARCH_INDEX_PATH"], target / "index")
    snapshots["ids"][combo] = {
        "persona": persona.id if persona else None,
        **{name: getattr(place, name).id for name in PLACE_MODELS if getattr(place, name)},
    }


PLACE_MODELS = {
    "category": Category,
    "thread": Thread,
    "reply": Post,
    "hidden": Post,
    "queued": Post,
    "flag": Flag,
    "entry": ModerationAction,
    "document": Document,
    "pending": Post,
    "pending_document": Document,
    "own": Post,
}


def _load(ids: dict) -> tuple[User | None, Place]:
    objects = {
        name: db.session.get(model, ids[name])
        for name, model in PLACE_MODELS.items()
        if name in ids
    }
    persona = db.session.get(User, ids["persona"]) if ids["persona"] else None
    return persona, Place(**objects)


@pytest.fixture
def world(app, password_hash, template_cache, snapshots, request):
    """The category under test with content (and the one a move goes to), and the persona.

    Only what the cell needs is built, once per persona and category: the table has
    hundreds of cells.
    """
    app.jinja_env.bytecode_cache = template_cache
    combo = _combo(request)
    if not PG_URL and combo in snapshots["ids"]:
        return _load(snapshots["ids"][combo])
    key = request.node.callspec.params["key"]
    a = factories.make_association(slug="assoc-a", name="Savez A")
    b = factories.make_association(slug="assoc-b", name="Savez B")
    poster = _user("poster", password_hash)
    db.session.add_all(
        [Membership(user=poster, association=a), Membership(user=poster, association=b)]
    )
    newcomer = _user("newcomer", password_hash, approved_posts=0)
    flagger = _user("flagger", password_hash)
    staff = _user("staff", password_hash, is_admin=True)
    db.session.flush()
    place = _place(key, a, b, poster, newcomer, flagger, staff)
    _bare_category(MOVE_TARGET[key], a, b)
    persona = _persona(request.node.callspec.params["persona"], password_hash, a, b)
    db.session.flush()
    if persona is not None:
        place.own = forum.reply(persona, place.thread, f"Moj post, {persona.display_name}.")
        place.own.approved = True
    db.session.commit()
    if not PG_URL:
        _save(app, snapshots, combo, persona, place)
    return persona, place


# Actions: each sends one request and says whether its effect is visible in the database.


def _undo_delete(client, post: Post):
    """The author deleted ``post`` a moment ago; the persona asks to take that back."""
    db.session.get(Post, post.id).deleted_at = utcnow()
    db.session.commit()
    response = client.post(f"/p/{post.id}/restore")
    return response, lambda: not db.session.get(Post, post.id).is_deleted


def _post_text(post: Post) -> Callable[[], bool]:
    return lambda: db.session.get(Post, post.id).body_md == "Izmijenjeno u tabeli."


ACTIONS: dict[str, Callable] = {
    "read": lambda c, p, k: (c.get(f"/t/{p.thread.id}"), None),
    "api_thread": lambda c, p, k: (c.get(f"/api/v1/threads/{p.thread.id}"), None),
    "api_categories": lambda c, p, k: (c.get("/api/v1/categories"), f'"perm-{k}"'),
    "search": lambda c, p, k: (c.get("/search?q=zvjezdarnica"), f"Tema {k}"),
    "api_search": lambda c, p, k: (c.get("/api/v1/search?q=zvjezdarnica"), f"Tema {k}"),
    "documents": lambda c, p, k: (c.get("/documents"), f"DOC-{k}"),
    "document_page": lambda c, p, k: (c.get(f"/documents/{p.document.id}"), None),
    "feed": lambda c, p, k: (c.get("/feed.atom"), f"Tema {k}"),
    "category_feed": lambda c, p, k: (c.get(f"/c/perm-{k}/feed.atom"), None),
    "thread_feed": lambda c, p, k: (c.get(f"/t/{p.thread.id}/feed.atom"), None),
    "queued_read": lambda c, p, k: (c.get(f"/t/{p.pending.thread_id}"), None),
    "queued_permalink": lambda c, p, k: (c.get(f"/p/{p.pending.id}"), None),
    "queued_revisions": lambda c, p, k: (c.get(f"/p/{p.pending.id}/revisions"), None),
    "queued_api_thread": lambda c, p, k: (c.get(f"/api/v1/threads/{p.pending.thread_id}"), None),
    "queued_document_page": lambda c, p, k: (c.get(f"/documents/{p.pending_document.id}"), None),
    "queued_thread_feed": lambda c, p, k: (c.get(f"/t/{p.pending.thread_id}/feed.atom"), None),
    "queued_feed": lambda c, p, k: (c.get("/feed.atom"), f"Čeka {k}"),
    "queued_search": lambda c, p, k: (c.get("/search?q=zvjezdarnica"), f"Čeka {k}"),
    "queued_documents": lambda c, p, k: (c.get("/documents"), f"QDOC-{k}"),
    "start_thread": lambda c, p, k: (
        c.post(f"/c/perm-{k}/new", data={"title": "Nova tema tabele", "body": "Tekst."}),
        lambda: db.session.scalar(select(Thread).where(Thread.title == "Nova tema tabele")),
    ),
    "reply": lambda c, p, k: (
        c.post(f"/t/{p.thread.id}/reply", data={"body": "Novi odgovor tabele."}),
        lambda: db.session.scalar(select(Post).where(Post.body_md == "Novi odgovor tabele.")),
    ),
    "edit_own": lambda c, p, k: (
        c.post(f"/p/{(p.own or p.reply).id}/edit", data={"body": "Izmijenjeno u tabeli."}),
        _post_text(p.own or p.reply),
    ),
    "edit_other": lambda c, p, k: (
        c.post(f"/p/{p.reply.id}/edit", data={"body": "Izmijenjeno u tabeli.", "reason": "T"}),
        _post_text(p.reply),
    ),
    "delete_own": lambda c, p, k: (
        c.post(f"/p/{(p.own or p.reply).id}/delete"),
        lambda: db.session.get(Post, (p.own or p.reply).id).is_deleted,
    ),
    "delete_other": lambda c, p, k: (
        c.post(f"/p/{p.reply.id}/delete"),
        lambda: db.session.get(Post, p.reply.id).is_deleted,
    ),
    "undo_delete_own": lambda c, p, k: _undo_delete(c, p.own or p.reply),
    "undo_delete_other": lambda c, p, k: _undo_delete(c, p.reply),
    "flag": lambda c, p, k: (
        c.post(f"/p/{p.reply.id}/flag", data={"reason": "spam", "text": "T"}),
        lambda: len(db.session.scalars(select(Flag).where(Flag.post_id == p.reply.id)).all()) == 2,
    ),
    "hide": lambda c, p, k: (
        c.post(f"/p/{p.reply.id}/hide", data={"reason": "Tabela"}),
        lambda: db.session.get(Post, p.reply.id).is_hidden,
    ),
    "restore": lambda c, p, k: (
        c.post(f"/p/{p.hidden.id}/restore"),
        lambda: not db.session.get(Post, p.hidden.id).is_hidden,
    ),
    "approve": lambda c, p, k: (
        c.post(f"/p/{p.queued.id}/approve"),
        lambda: db.session.get(Post, p.queued.id).approved,
    ),
    "lock": lambda c, p, k: (
        c.post(f"/t/{p.thread.id}/lock"),
        lambda: db.session.get(Thread, p.thread.id).locked,
    ),
    "pin": lambda c, p, k: (
        c.post(f"/t/{p.thread.id}/pin"),
        lambda: db.session.get(Thread, p.thread.id).pinned,
    ),
    "move": lambda c, p, k: (
        c.post(f"/t/{p.thread.id}/move", data={"category": f"perm-{MOVE_TARGET[k]}"}),
        lambda: db.session.get(Thread, p.thread.id).category.slug == f"perm-{MOVE_TARGET[k]}",
    ),
    "hide_thread": lambda c, p, k: (
        c.post(f"/t/{p.thread.id}/hide", data={"reason": "Tabela"}),
        lambda: db.session.get(Thread, p.thread.id).is_hidden,
    ),
    "accept": lambda c, p, k: (
        c.post(f"/p/{p.reply.id}/accept"),
        lambda: db.session.get(Post, p.reply.id).accepted,
    ),
    "edit_category": lambda c, p, k: (
        c.post(f"/mod/c/perm-{k}/edit", data={"description": "Opis tabele", "guidelines": ""}),
        lambda: db.session.get(Category, p.category.id).description == "Opis tabele",
    ),
    "view_mod": lambda c, p, k: (c.get("/mod"), f"FLAG-{k}"),
    "view_log": lambda c, p, k: (c.get("/mod/log"), f"LOG-{k}"),
    "open_flag": lambda c, p, k: (c.get(f"/mod/flags/{p.flag.id}"), None),
    "open_log_entry": lambda c, p, k: (c.get(f"/mod/log/{p.entry.id}"), None),
    "admin_category": lambda c, p, k: (c.get(f"/admin/categories/{p.category.id}"), None),
    "restrict_poster": lambda c, p, k: (
        c.post(
            f"/mod/u/{p.thread.author_id}/suspend",
            data={"days": "3", "reason": "T", "association": p.category.association.slug},
        ),
        lambda: db.session.scalar(
            select(PostingRestriction).where(
                PostingRestriction.user_id == p.thread.author_id,
                PostingRestriction.association_id == p.category.association_id,
            )
        ),
    ),
    "suspend_poster": lambda c, p, k: (
        c.post(
            f"/mod/u/{p.thread.author_id}/suspend",
            data={"days": "3", "reason": "T", "association": ""},
        ),
        lambda: db.session.get(User, p.thread.author_id).is_suspended,
    ),
    "directory": lambda c, p, k: (c.get("/people"), ">poster</a>"),
    "directory_hidden": lambda c, p, k: (c.get(_hide_poster(p, "/people")), ">poster</a>"),
    "add_mz": lambda c, p, k: (
        c.post(f"/places/{_town().slug}/mz", data={"name": "MZ tabele"}),
        lambda: db.session.scalar(select(LocalCommunity).where(LocalCommunity.name == "MZ tabele")),
    ),
    "stats": lambda c, p, k: (c.get("/admin/stats"), None),
    "watch_thread": lambda c, p, k: (
        c.post(f"/t/{p.thread.id}/watch", data={"level": "muted"}),
        lambda: db.session.scalar(
            select(Watch.id).where(Watch.thread_id == p.thread.id, Watch.level == "muted")
        ),
    ),
    "watch_category": lambda c, p, k: (
        c.post(f"/c/perm-{k}/watch", data={"level": "new_threads"}),
        lambda: db.session.scalar(select(Watch.id).where(Watch.category_id == p.category.id)),
    ),
    "mark_category_read": lambda c, p, k: (
        c.post(f"/c/perm-{k}/read"),
        lambda: db.session.scalar(select(ThreadRead).where(ThreadRead.thread_id == p.thread.id)),
    ),
    "mentioned": lambda c, p, k: _mention_then_list(c, p, k),
    "make_initiative": lambda c, p, k: (
        c.post(f"/t/{p.thread.id}/initiative", data={"level": "state", "addressee": "Vijeće"}),
        lambda: _initiative_of(p) is not None,
    ),
    "initiative_open": lambda c, p, k: (
        c.post(_with_initiative(p, "draft", "/initiative/status"), data={"status": "open"}),
        lambda: _initiative_of(p).status == "open",
    ),
    "initiative_close": lambda c, p, k: (
        c.post(
            _with_initiative(p, "open", "/initiative/status"),
            data={"status": "closed", "outcome": "rejected"},
        ),
        lambda: _initiative_of(p).status == "closed",
    ),
    "initiative_skip": lambda c, p, k: (
        c.post(
            _with_initiative(p, "draft", "/initiative/status"),
            data={"status": "submitted", "reference": "1"},
        ),
        lambda: _initiative_of(p).status == "submitted",
    ),
    "support": lambda c, p, k: (
        c.post(_with_initiative(p, "open", "/support"), data={"on_behalf": "self"}),
        lambda: db.session.scalar(select(func.count(Support.id))) == 1,
    ),
    "support_draft": lambda c, p, k: (
        c.post(_with_initiative(p, "draft", "/support"), data={"on_behalf": "self"}),
        lambda: db.session.scalar(select(func.count(Support.id))) == 1,
    ),
    "initiatives": lambda c, p, k: (
        c.get(_with_initiative(p, "open", "", "/initiatives")),
        f"Tema {k}",
    ),
    "api_initiatives": lambda c, p, k: (
        c.get(_with_initiative(p, "open", "", "/api/v1/initiatives")),
        f"Tema {k}",
    ),
    "initiative_odt": lambda c, p, k: (c.get(_with_initiative(p, "open", "/initiative.odt")), None),
    "supporters_csv": lambda c, p, k: (c.get(_with_initiative(p, "open", "/supporters.csv")), None),
    "mark_practice": lambda c, p, k: (
        c.post(f"/t/{p.thread.id}/practice", data={"summary": "Dobra praksa tabele."}),
        lambda: db.session.scalar(select(Practice)) is not None,
    ),
    "practices": lambda c, p, k: (c.get(_as_practice(p, "/practices")), f"Tema {k}"),
    "practice_tags": lambda c, p, k: (
        c.post("/practices/tags", data={"category": f"perm-{k}", "tags": "zbor"}),
        lambda: db.session.scalar(select(PracticeTag)) is not None,
    ),
}


def _initiative_of(place: Place) -> Initiative | None:
    return db.session.scalar(select(Initiative).where(Initiative.thread_id == place.thread.id))


def _with_initiative(place: Place, status: str, suffix: str, url: str = "") -> str:
    """The thread becomes an initiative in ``status`` before the request (issue 10)."""
    db.session.add(
        Initiative(
            thread_id=place.thread.id, level="entity", addressee="Ministarstvo", status=status
        )
    )
    db.session.commit()
    return url or f"/t/{place.thread.id}{suffix}"


def _as_practice(place: Place, url: str) -> str:
    db.session.add(Practice(thread_id=place.thread.id, summary="Dobra praksa tabele."))
    db.session.commit()
    return url


def _hide_poster(place: Place, url: str) -> str:
    """The thread's author hides from the directory before the request."""
    place.thread.author.in_directory = False
    db.session.commit()
    return url


def _town() -> Municipality:
    """A municipality to add MZs to (the table does not load the whole map)."""
    town = db.session.scalar(select(Municipality).where(Municipality.slug == "perm-town"))
    if town is None:
        entity = Entity(code="fbih", name="Federacija", name_cyrillic="Федерација")
        town = Municipality(slug="perm-town", name="Perm", name_cyrillic="Перм", entity=entity)
        db.session.add(town)
        db.session.commit()
    return town


def _mention_then_list(client, place: Place, key: str):
    """The thread's author mentions the persona; their notifications page is checked."""
    if place.own is not None:
        forum.reply(place.thread.author, place.thread, f"Pogledaj @{place.own.author.handle}.")
        db.session.commit()
    return client.get("/notifications"), f"Tema {key}: zvjezdarnica"


CASES = [
    pytest.param(action, persona, key, expected, id=f"{action}-{persona}-{key}")
    for action, rows in TABLE.items()
    for persona in PERSONAS
    for key, expected in zip(CATEGORIES, rows[persona].split(), strict=True)
]


def test_table_is_complete():
    assert set(TABLE) == set(ACTIONS)
    assert all(set(rows) == set(PERSONAS) for rows in TABLE.values())


def _sign_in(client, user: User) -> None:
    """Start a session as ``user`` directly: this table is about authorisation, and the
    real login form (tested in tests/auth) costs a scrypt check per cell."""
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True


@pytest.mark.parametrize(("persona", "key"), [("member", "a")])
def test_signed_in_session_is_the_real_one(client, login, world, persona, key):
    """The shortcut above yields the same state as logging in through the form."""
    user, place = world
    _sign_in(client, user)
    shortcut = client.get(f"/t/{place.thread.id}").get_data(as_text=True)
    login(user)
    assert user.display_name in shortcut
    assert client.get(f"/t/{place.thread.id}").status_code == 200


@pytest.mark.parametrize(("action", "persona", "key", "expected"), CASES)
def test_permission(client, world, action, persona, key, expected):
    user, place = world
    if user is not None:
        _sign_in(client, user)
    response, check = ACTIONS[action](client, place, key)
    db.session.expire_all()
    status, location = response.status_code, response.headers.get("Location", "")
    if expected == "login":
        assert status == 302 and "/login" in location, (status, location)
    elif expected in {"400", "403", "404"}:
        assert status == int(expected), status
    elif expected in {"shown", "absent"}:
        assert status == 200, status
        assert (check in response.get_data(as_text=True)) == (expected == "shown")
        return
    else:
        assert status in (200, 302) and "/login" not in location, (status, location)
    if callable(check):
        assert bool(check()) == (expected == "ok"), "effect does not match the outcome"


UNOWNED_CASES = [
    pytest.param(action, persona, "unowned", rows[persona], id=f"{action}-{persona}-unowned")
    for action, rows in UNOWNED.items()
    for persona in PERSONAS
]


@pytest.mark.parametrize(("action", "persona", "key", "expected"), UNOWNED_CASES)
def test_unowned_category_is_moderated_by_admins(client, world, action, persona, key, expected):
    """Every category has someone who moderates it: with no owning association, admins."""
    test_permission(client, world, action, persona, key, expected)
