"""The scale-out search backend: PostgreSQL full text over the shared BCS analysis.

Entries live in ``search_entries`` (one row per ``SearchDoc``, filters as columns, a GIN
indexed ``tsvector``). The ``tsvector`` is written from ``board.search.analysis`` tokens
(already transliterated, lower-cased, folded and stemmed), so the ``simple`` configuration
over them is exact and both backends read a query the same way; see bench/RESULTS.md for
why this beat PostgreSQL's own ``serbian`` configuration. ``search()`` only reads, so it
can run on a replica. This is the only module with PostgreSQL full-text SQL.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, time

from sqlalchemy import Engine, delete, select, text
from sqlalchemy.dialects.postgresql import insert

from board.models.search import SearchEntry
from board.search.backend import SearchDoc, SearchHit, SearchPage, SearchQuery
from board.search.postgres_query import (
    CompiledQuery,
    compile_query,
    tsvector_literal,
    word_tsquery,
)

BODY_CAP = 20_000  # characters kept for snippets; the tsvector covers the whole text
RANK_WEIGHTS = "{0.1, 0.2, 0.4, 1.0}"  # D, C, B, A: extra C, body B, title A
TITLE_BOOST = 2.0  # every searched word is in the title
ACCEPTED_BOOST = 1.5  # the accepted answer of its thread
FIRST_BOOST = 1.1  # the question itself

_TABLE = SearchEntry.__table__


class PostgresBackend:
    """``SearchBackend`` on a PostgreSQL engine (the app's, or a replica's for reads)."""

    def __init__(self, engine: Engine) -> None:
        if engine.dialect.name != "postgresql":
            raise RuntimeError(
                "The postgres search backend needs BOARD_DATABASE_URL=postgresql://…"
            )
        self.engine = engine

    # Writing ---------------------------------------------------------------------------

    def index(self, docs: Iterable[SearchDoc]) -> None:
        """Upsert the documents by id, in batches of one statement each."""
        batch: list[dict] = []
        with self.engine.begin() as conn:
            for doc in docs:
                batch.append(_row(doc))
                if len(batch) >= 500:
                    _upsert(conn, batch)
                    batch = []
            if batch:
                _upsert(conn, batch)

    def delete(self, ids: Iterable[str]) -> None:
        """Remove these ids; unknown ids are ignored."""
        ids = list(ids)
        if ids:
            with self.engine.begin() as conn:
                conn.execute(delete(_TABLE).where(_TABLE.c.id.in_(ids)))

    def delete_documents(self, document_ids: Iterable[int]) -> None:
        """Remove every page of these documents."""
        document_ids = list(document_ids)
        if document_ids:
            with self.engine.begin() as conn:
                conn.execute(delete(_TABLE).where(_TABLE.c.document_id.in_(document_ids)))

    def clear(self) -> None:
        """Remove everything (before a full reindex)."""
        with self.engine.begin() as conn:
            conn.execute(delete(_TABLE))

    def versions(self) -> Mapping[str, str]:
        """Every indexed id with its version."""
        with self.engine.connect() as conn:
            return dict(conn.execute(select(_TABLE.c.id, _TABLE.c.version)).all())

    # Reading ---------------------------------------------------------------------------

    def search(self, query: SearchQuery) -> SearchPage:
        """Every word first; then one-edit typos of unknown words; then any word."""
        compiled = compile_query(query.text)
        if compiled is None:
            return SearchPage(total=0, page=query.page, per_page=query.per_page)
        suggestion = None
        relaxed = False
        with self.engine.connect() as conn:
            total, rows = _run(conn, compiled, query, relaxed=False)
            if total == 0:
                missing = _missing_words(conn, compiled)
                if missing:
                    compiled = compiled.with_typos(missing)
                    total, rows = _run(conn, compiled, query, relaxed=False)
            if total == 0 and compiled.relaxed is not None:
                total, rows = _run(conn, compiled, query, relaxed=True)
                relaxed = total > 0
        hits = [_hit(row, compiled) for row in rows]
        return SearchPage(
            total=total,
            page=query.page,
            per_page=query.per_page,
            hits=hits,
            relaxed=relaxed,
            suggestion=suggestion,
        )


def _missing_words(conn, compiled: CompiledQuery) -> list[str]:
    """Query words none of whose alternatives occurs anywhere in the index."""
    missing = []
    for word in compiled.positive_words():
        probe = word_tsquery(word)
        found = conn.execute(_EXISTS, {"tsquery": probe}).scalar()
        if not found:
            missing.append(word.word)
    return missing


_EXISTS = text(
    "SELECT EXISTS (SELECT 1 FROM search_entries WHERE terms @@ CAST(:tsquery AS tsquery))"
)


def _row(doc: SearchDoc) -> dict:
    return {
        "id": doc.id,
        "type": doc.type,
        "version": doc.version,
        "thread_id": doc.thread_id,
        "post_id": doc.post_id,
        "category_id": doc.category_id,
        "author_id": doc.author_id,
        "author": doc.author,
        "created_at": doc.created_at,
        "is_first": doc.is_first,
        "accepted": doc.accepted,
        "solved": doc.solved,
        "document_id": doc.document_id,
        "page": doc.page,
        "doc_type": doc.doc_type,
        "title": doc.title,
        "body": doc.body[:BODY_CAP],
        "terms": tsvector_literal(doc.title, doc.body, doc.extra),
    }


def _upsert(conn, rows: list[dict]) -> None:
    statement = insert(_TABLE).values(rows)
    columns = {c: statement.excluded[c] for c in rows[0] if c != "id"}
    conn.execute(statement.on_conflict_do_update(index_elements=["id"], set_=columns))


_SELECT = """
SELECT id, type, thread_id, post_id, document_id, page, title, body,
       ts_rank_cd(:weights, terms, q)
           * (CASE WHEN terms @@ tq THEN :title_boost ELSE 1.0 END)
           * (CASE WHEN accepted THEN :accepted_boost ELSE 1.0 END)
           * (CASE WHEN is_first THEN :first_boost ELSE 1.0 END) AS score,
       count(*) OVER () AS total
FROM search_entries, CAST(:tsquery AS tsquery) AS q, CAST(:title_tsquery AS tsquery) AS tq
WHERE terms @@ q {filters}
ORDER BY {order}
LIMIT :limit OFFSET :offset
"""


def _filters(query: SearchQuery) -> tuple[str, dict]:
    """SQL conditions for the service's filters (bound, never interpolated values)."""
    parts: list[str] = []
    params: dict = {}
    if query.allowed_category_ids is not None:
        parts.append("category_id = ANY(:allowed)")
        params["allowed"] = sorted(query.allowed_category_ids)
    if query.category_ids is not None:
        parts.append("category_id = ANY(:categories)")
        params["categories"] = sorted(query.category_ids)
    if query.author_id is not None:
        parts.append("author_id = :author_id")
        params["author_id"] = query.author_id
    if query.type:
        parts.append("type = :type")
        params["type"] = query.type
    if query.date_from:
        parts.append("created_at >= :date_from")
        params["date_from"] = datetime.combine(query.date_from, time.min)
    if query.date_to:
        parts.append("created_at <= :date_to")
        params["date_to"] = datetime.combine(query.date_to, time.max)
    if query.solved_only:
        parts.append("solved")
    return "".join(f" AND {p}" for p in parts), params


def _run(conn, compiled: CompiledQuery, query: SearchQuery, relaxed: bool) -> tuple[int, list]:
    """One page of matches and the total, in one statement."""
    filters, params = _filters(query)
    order = "created_at DESC, id" if query.sort == "new" else "score DESC, created_at DESC, id"
    sql = text(_SELECT.format(filters=filters, order=order))
    page = max(query.page, 1)
    params.update(
        weights=RANK_WEIGHTS,
        tsquery=compiled.relaxed if relaxed else compiled.strict,
        title_tsquery=compiled.title_query(relaxed),
        title_boost=TITLE_BOOST,
        accepted_boost=ACCEPTED_BOOST,
        first_boost=FIRST_BOOST,
        limit=query.per_page,
        offset=(page - 1) * query.per_page,
    )
    rows = conn.execute(sql, params).all()
    if rows:
        return int(rows[0].total), rows
    if page == 1:
        return 0, []
    params.update(limit=1, offset=0)
    first = conn.execute(sql, params).first()
    return (int(first.total) if first else 0), []


def _hit(row, compiled: CompiledQuery) -> SearchHit:
    return SearchHit(
        id=row.id,
        score=float(row.score),
        snippet=compiled.snippet(row.body),
        type=row.type,
        thread_id=row.thread_id,
        post_id=row.post_id,
        document_id=row.document_id,
        page=row.page,
    )
