"""``flask --app wsgi board search reindex|check|drain``.

``reindex`` rebuilds from the database while the site keeps serving: it works in batches,
each read and written under the drain lock (so it never overwrites a newer state the
outbox wrote), and replaces entries in place rather than emptying the index first unless
asked to. ``check`` compares what the database says should be indexed with what is.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from board.extensions import db
from board.models import SearchOutbox
from board.search import get_backend, sources
from board.search.backend import IndexBusyError, SearchBackend, SearchDoc
from board.search.indexing import drain

search_cli = AppGroup("search", help="Search index maintenance.")
LOCK_WAIT = 60.0


def _locked(action: Callable[[Session, SearchBackend], object], attempts: int = 5) -> object:
    """Run ``action`` under the drain lock with a fresh session; retry a busy index."""
    runtime = current_app.extensions["board_search"]
    for attempt in range(1, attempts + 1):
        with runtime.drain_lock(LOCK_WAIT) as acquired:
            if not acquired:
                raise click.ClickException("The search index is busy; try again shortly.")
            try:
                with Session(db.engine) as session:
                    return action(session, get_backend())
            except Exception as error:
                if not isinstance(error, IndexBusyError) or attempt == attempts:
                    raise
        time.sleep(0.5 * attempt)
    raise AssertionError("unreachable")


def _post_batch(ids: list[int]) -> Callable[[Session, SearchBackend], set[str]]:
    def action(session: Session, backend: SearchBackend) -> set[str]:
        posts = sources.load_posts(session, ids)
        docs = [sources.post_doc(p) for p in posts.values() if sources.post_is_searchable(p)]
        kept = {d.id for d in docs}
        gone = [sources.post_doc_id(i) for i in ids if sources.post_doc_id(i) not in kept]
        if gone:
            backend.delete(gone)
        if docs:
            backend.index(docs)
        return kept

    return action


def _document_batch(ids: list[int]) -> Callable[[Session, SearchBackend], set[str]]:
    def action(session: Session, backend: SearchBackend) -> set[str]:
        documents = sources.load_documents(session, ids)
        docs = [
            doc
            for document in documents.values()
            if sources.document_is_searchable(document)
            for doc in sources.document_docs(document)
        ]
        backend.delete_documents(ids)
        if docs:
            backend.index(docs)
        return {d.id for d in docs}

    return action


def _remove_leftovers(candidates: set[str]) -> Callable[[Session, SearchBackend], int]:
    """Entries not written by this run: removed only if the database, read now under the
    lock, says they should not be there (posts written meanwhile by a drain stay)."""

    def action(session: Session, backend: SearchBackend) -> int:
        expected = set(_expected(session, candidates))
        stale = sorted(candidates - expected)
        if stale:
            backend.delete(stale)
        return len(stale)

    return action


@search_cli.command("reindex")
@click.option(
    "--clear", is_flag=True, help="Empty the index first (results are partial until done)."
)
@click.option("--batch-size", default=500, show_default=True, type=click.IntRange(1, 10_000))
def reindex(clear: bool, batch_size: int) -> None:
    """Rebuild the index from the database; safe while the site serves.

    The whole run holds the drain lock and one bulk write: posts written meanwhile wait
    in the outbox (their drains give up quickly) and are applied by the drain at the end,
    over what this run wrote, so a newer state always wins.
    """
    with Session(db.engine) as session:
        post_ids = sources.all_post_ids(session)
        document_ids = sources.all_document_ids(session)
    if clear:
        _locked(lambda _session, backend: backend.clear())
    written: set[str] = set()

    def rebuild(_session: Session, backend: SearchBackend) -> int:
        with backend.bulk():
            with click.progressbar(
                length=len(post_ids) + len(document_ids), label="Indexing"
            ) as bar:
                for ids in sources.chunked(post_ids, batch_size):
                    with Session(db.engine) as session:
                        written.update(_post_batch(ids)(session, backend))
                    bar.update(len(ids))
                for ids in sources.chunked(document_ids, max(1, batch_size // 10)):
                    with Session(db.engine) as session:
                        written.update(_document_batch(ids)(session, backend))
                    bar.update(len(ids))
            leftovers = set(backend.versions()) - written
            with Session(db.engine) as session:
                removed = _remove_leftovers(leftovers)(session, backend) if leftovers else 0
            click.echo("Writing the index…")
        return removed

    removed = _locked(rebuild)
    result = drain(current_app._get_current_object(), wait=LOCK_WAIT)
    click.echo(
        f"Indexed {len(written)} entries from {len(post_ids)} posts and "
        f"{len(document_ids)} documents; removed {removed} stale; "
        f"outbox: {result.drained} applied, {result.failed} still queued."
    )


def _expected(session: Session, only: set[str] | None = None) -> dict[str, str]:
    """Every entry the database says the index should hold, with its version."""
    expected: dict[str, str] = {}
    post_ids = sources.all_post_ids(session)
    if only is not None:
        wanted = {int(i.split(":")[1]) for i in only if i.startswith("post:")}
        post_ids = [i for i in post_ids if i in wanted]
    for ids in sources.chunked(post_ids, 500):
        for post in sources.load_posts(session, ids).values():
            if sources.post_is_searchable(post):
                expected[sources.post_doc_id(post.id)] = sources.post_version(post)
        session.expunge_all()
    document_ids = sources.all_document_ids(session)
    if only is not None:
        wanted = {int(i.split(":")[1]) for i in only if i.startswith("doc:")}
        document_ids = [i for i in document_ids if i in wanted]
    for ids in sources.chunked(document_ids, 50):
        for document in sources.load_documents(session, ids).values():
            if sources.document_is_searchable(document):
                doc: SearchDoc
                for doc in sources.document_docs(document):
                    expected[doc.id] = doc.version
        session.expunge_all()
    return expected


def _show(label: str, ids: list[str]) -> None:
    click.echo(f"{label}: {len(ids)}")
    for entry in ids[:20]:
        click.echo(f"  {entry}")
    if len(ids) > 20:
        click.echo(f"  … and {len(ids) - 20} more")


@search_cli.command("check")
def check() -> None:
    """Report entries missing from, stale in, or not belonging in the index (exit 1 if any)."""
    with Session(db.engine) as session:
        expected = _expected(session)
        queued = session.scalar(select(func.count(SearchOutbox.id))) or 0
        failing = session.execute(
            select(SearchOutbox.entity, SearchOutbox.entity_id, SearchOutbox.attempts)
            .add_columns(SearchOutbox.last_error)
            .where(SearchOutbox.attempts > 0)
            .order_by(SearchOutbox.attempts.desc(), SearchOutbox.id)
            .limit(10)
        ).all()
    actual = dict(get_backend().versions())
    missing = sorted(set(expected) - set(actual))
    extra = sorted(set(actual) - set(expected))
    stale = sorted(i for i in set(expected) & set(actual) if expected[i] != actual[i])
    click.echo(f"Expected {len(expected)} entries; the index holds {len(actual)}.")
    _show("Missing from the index", missing)
    _show("Stale (older version indexed)", stale)
    _show("In the index but not searchable (hidden, deleted or gone)", extra)
    click.echo(f"Queued in the outbox: {queued}")
    for entity, entity_id, attempts, error in failing:  # what keeps failing, and why
        click.echo(f"  {entity}:{entity_id} failed {attempts} time(s): {error}")
    if missing or stale or extra:
        click.echo("Drift found: run `flask board search reindex`.")
        raise SystemExit(1)
    click.echo("The index matches the database.")


@search_cli.command("optimize")
def optimize() -> None:
    """Compact the index (run it weekly, or after heavy use; safe while the site serves)."""
    started = time.perf_counter()
    _locked(lambda _session, backend: backend.optimize())
    click.echo(f"Index optimised in {time.perf_counter() - started:.1f} s.")


@search_cli.command("drain")
def drain_command() -> None:
    """Apply queued index changes now (the board also does this after each change)."""
    result = drain(current_app._get_current_object(), wait=LOCK_WAIT)
    click.echo(f"Applied {result.drained} queued changes; {result.failed} still queued.")
    for message in sorted(set(result.errors))[:10]:
        click.echo(f"  {message}")
    if not result.complete:
        raise SystemExit(1)
