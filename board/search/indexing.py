"""The search outbox: index work recorded in the content's own transaction, applied after.

``after_flush`` writes a ``search_outbox`` row for every new, changed or deleted post,
thread (title, category, solved, hidden, approved), document and author name, on the same
connection and in the same transaction as the change itself: if the content commits, so
does the note that the index must follow; if it rolls back, both vanish.

``after_commit`` then drains the outbox outside that transaction: it reads the current
state of each entity, works out what the index should hold (``sources``), and writes it.
Whatever fails (the index busy, any error) stays queued with ``attempts`` and
``last_error`` and is retried by the next drain, the background drainer, ``flask board
search drain`` or ``reindex``. Nothing here ever raises into a request.

Only the ORM session is watched: bulk ``update()``/``delete()`` statements bypass it, so
changes to posts, threads or documents must go through the services (or record outbox
rows themselves with ``record``).
"""

from __future__ import annotations

import contextlib
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from flask import Flask, current_app, has_app_context
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import delete, event, insert, inspect, select, update
from sqlalchemy.orm import Session

from board.extensions import db
from board.models import Document, Post, SearchOutbox, Thread, User
from board.models.base import utcnow
from board.search import sources
from board.search.backend import IndexBusyError, SearchBackend, SearchDoc

log = logging.getLogger(__name__)

THREAD_FIELDS = ("title", "category_id", "category", "solved", "hidden_at", "approved")
USER_FIELDS = ("display_name",)
ROWS_PER_ROUND = 500
DOCS_PER_WRITE = 500
_SEEN = "search_outbox_seen"
_installed = False


def install() -> None:
    """Listen to the app's ORM sessions (once per process, whatever the number of apps)."""
    global _installed
    if _installed:
        return
    event.listen(FlaskSession, "after_flush", _after_flush)
    event.listen(FlaskSession, "after_commit", _after_commit)
    event.listen(FlaskSession, "after_soft_rollback", _forget)
    _installed = True


# Recording ------------------------------------------------------------------------------


def _changed(obj: object, names: tuple[str, ...]) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in names)


def changes(session: Session) -> set[tuple[str, int]]:
    """The (entity, id) pairs this flush affects, from the session's pre-flush state."""
    found: set[tuple[str, int]] = set()
    for obj in session.new:
        if isinstance(obj, Post):
            found.add(("post", obj.id))
        elif isinstance(obj, Document):
            found.add(("document", obj.id))
    for obj in session.dirty:
        if isinstance(obj, Post) and session.is_modified(obj, include_collections=False):
            found.add(("post", obj.id))
        elif isinstance(obj, Document) and session.is_modified(obj, include_collections=False):
            found.add(("document", obj.id))
        elif isinstance(obj, Thread) and _changed(obj, THREAD_FIELDS):
            found.add(("thread", obj.id))
        elif isinstance(obj, User) and _changed(obj, USER_FIELDS):
            found.add(("user", obj.id))
    for obj in session.deleted:
        if isinstance(obj, Post | Document | Thread):
            found.add((type(obj).__name__.lower(), obj.id))
    return found


def record(session: Session, pairs: set[tuple[str, int]]) -> None:
    """Queue index work on the session's own connection, i.e. inside its transaction.

    Services that change rows with bulk statements call this with what they touched.
    """
    seen: set[tuple[str, int]] = session.info.setdefault(_SEEN, set())
    fresh = sorted(pairs - seen)
    if not fresh:
        return
    now = utcnow()
    session.connection().execute(
        insert(SearchOutbox.__table__),
        [
            {"entity": e, "entity_id": i, "created_at": now, "attempts": 0, "last_error": ""}
            for e, i in fresh
        ],
    )
    seen.update(fresh)


def _after_flush(session: Session, _flush_context) -> None:
    if has_app_context() and "board_search" in current_app.extensions:
        record(session, changes(session))


def _forget(session: Session, _previous_transaction=None) -> None:
    """A rollback took the rows with it: record again what the next flush touches."""
    session.info.pop(_SEEN, None)


def _after_commit(session: Session) -> None:
    if not session.info.pop(_SEEN, None):
        return
    if not (has_app_context() and "board_search" in current_app.extensions):
        return
    app = current_app._get_current_object()
    try:
        runtime = app.extensions["board_search"]
        result = drain(app, wait=float(app.config.get("SEARCH_DRAIN_WAIT", 0.5)))
        if result.complete:
            runtime.drainer()  # running from the first change on, for the periodic drain
        else:
            runtime.poke()
    except Exception:  # never let indexing fail a request: the rows stay queued
        log.exception("Search drain failed; the outbox keeps the work")
        with contextlib.suppress(Exception):
            app.extensions["board_search"].poke()


# Draining -------------------------------------------------------------------------------


@dataclass
class DrainResult:
    """What one drain did; ``complete`` when nothing it saw is left queued."""

    drained: int = 0
    failed: int = 0
    busy: bool = False
    errors: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.busy and self.failed == 0


def drain(app: Flask, *, wait: float) -> DrainResult:
    """Apply every queued row to the index, under the drain lock; never raises for
    index errors (they are written to the rows)."""
    runtime = app.extensions["board_search"]
    result = DrainResult()
    with Session(db.engine) as session:
        if session.scalar(select(SearchOutbox.id).limit(1)) is None:
            return result
    with runtime.drain_lock(wait) as acquired:
        if not acquired:
            result.busy = True
            return result
        with Session(db.engine) as session:
            last_id = 0
            while True:
                rows = session.execute(
                    select(SearchOutbox.id, SearchOutbox.entity, SearchOutbox.entity_id)
                    .where(SearchOutbox.id > last_id)
                    .order_by(SearchOutbox.id)
                    .limit(ROWS_PER_ROUND)
                ).all()
                if not rows:
                    break
                last_id = rows[-1].id
                _drain_round(session, runtime.backend(), rows, result)
    return result


def _drain_round(session: Session, backend: SearchBackend, rows, result: DrainResult) -> None:
    plan = Plan.from_rows(session, rows)
    failed = plan.build(session)
    try:
        plan.write(backend)
    except Exception as error:  # IndexBusyError or anything else: all of it stays queued
        busy = isinstance(error, IndexBusyError)
        level = logging.INFO if busy else logging.WARNING
        log.log(level, "Search index write failed: %r", error, exc_info=level > logging.INFO)
        result.busy = result.busy or busy
        failed = {row.id: f"{type(error).__name__}: {error}" for row in rows}
    done = [row.id for row in rows if row.id not in failed]
    if done:
        session.execute(delete(SearchOutbox).where(SearchOutbox.id.in_(done)))
    for row_id, message in failed.items():
        session.execute(
            update(SearchOutbox)
            .where(SearchOutbox.id == row_id)
            .values(attempts=SearchOutbox.attempts + 1, last_error=message[:1000])
        )
    session.commit()
    session.expunge_all()
    result.drained += len(done)
    result.failed += len(failed)
    result.errors.extend(failed.values())


class Plan:
    """What one round writes: entries to add, posts and documents to remove.

    Threads expand to their posts and authors to theirs; posts expand to their documents,
    so a hidden, moved or renamed thread updates everything under it. ``origins`` maps
    each post and document back to the rows that caused it, so one bad entity fails only
    its own rows.
    """

    def __init__(self) -> None:
        self.origins: dict[tuple[str, int], set[int]] = defaultdict(set)
        self.docs: list[SearchDoc] = []
        self.remove_posts: list[int] = []
        self.clear_documents: list[int] = []

    @classmethod
    def from_rows(cls, session: Session, rows) -> Plan:
        plan = cls()
        by_entity: dict[str, dict[int, set[int]]] = defaultdict(lambda: defaultdict(set))
        for row in rows:
            by_entity[row.entity][row.entity_id].add(row.id)
        for entity, column in (("thread", Post.thread_id), ("user", Post.author_id)):
            wanted = by_entity.get(entity, {})
            for ids in sources.chunked(wanted, 500):
                for post_id, owner in session.execute(
                    select(Post.id, column).where(column.in_(ids))
                ):
                    by_entity["post"][post_id] |= wanted[owner]
        for post_id, row_ids in by_entity.get("post", {}).items():
            plan.origins[("post", post_id)] |= row_ids
        posts = by_entity.get("post", {})
        for ids in sources.chunked(posts, 500):
            for document_id, post_id in session.execute(
                select(Document.id, Document.post_id).where(Document.post_id.in_(ids))
            ):
                plan.origins[("document", document_id)] |= posts[post_id]
        for document_id, row_ids in by_entity.get("document", {}).items():
            plan.origins[("document", document_id)] |= row_ids
        return plan

    def build(self, session: Session) -> dict[int, str]:
        """Read the current rows and decide each entry; returns failed row ids."""
        failed: dict[int, str] = {}
        post_ids = [i for kind, i in self.origins if kind == "post"]
        for ids in sources.chunked(post_ids, 500):
            posts = sources.load_posts(session, ids)
            for post_id in ids:
                post = posts.get(post_id)
                if post is not None and sources.post_is_searchable(post):
                    self.docs.append(sources.post_doc(post))
                else:
                    self.remove_posts.append(post_id)
        document_ids = [i for kind, i in self.origins if kind == "document"]
        for ids in sources.chunked(document_ids, 100):
            documents = sources.load_documents(session, ids)
            for document_id in ids:
                document = documents.get(document_id)
                if document is None or not sources.document_is_searchable(document):
                    self.clear_documents.append(document_id)
                    continue
                try:
                    self.docs.extend(sources.document_docs(document))
                    self.clear_documents.append(document_id)  # its page count may change
                except Exception as error:
                    log.warning("Cannot build search entries for document %s", document_id)
                    for row_id in self.origins[("document", document_id)]:
                        failed[row_id] = f"document {document_id}: {type(error).__name__}: {error}"
        return failed

    def write(self, backend: SearchBackend) -> None:
        """Removals first, so a re-added entry (a document's new pages) survives."""
        if self.clear_documents:
            backend.delete_documents(self.clear_documents)
        if self.remove_posts:
            backend.delete([sources.post_doc_id(i) for i in self.remove_posts])
        for start in range(0, len(self.docs), DOCS_PER_WRITE):
            backend.index(self.docs[start : start + DOCS_PER_WRITE])
