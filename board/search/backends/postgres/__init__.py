"""The scale-out search backend: PostgreSQL full text over the shared BCS analysis.

Entries live in ``search_entries`` (one row per ``SearchDoc``, filters as columns, a GIN
indexed ``tsvector``). The ``tsvector`` is written from ``board.search.analysis`` tokens
(already transliterated, folded and stemmed) and cast verbatim, so both backends read a
query the same way. PostgreSQL's own ``serbian`` configuration (the same Snowball
stemmer) was measured against it on the dev set (``bench/search_pg_configs.py``, both
read as every word, then any word): 0.94 recall@5 / 0.89 MRR (0.95 / 0.92 with
``unaccent``) against 0.97 / 0.99 for the shared analysis (1.00 / 1.00 with this
module's partial-match fill), as it lacks the variant table and ``dj``/``d`` folding
for ``đ``; so it is not used. ``search()`` only reads (it may run on a replica);
this is the only module with PostgreSQL full-text SQL.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from datetime import datetime, time

from sqlalchemy import Engine, delete, select, text
from sqlalchemy.dialects.postgresql import insert

from board.models.search import SearchEntry
from board.search import analysis, plan
from board.search.backend import SearchDoc, SearchHit, SearchPage, SearchQuery
from board.search.backends.postgres.query import (
    CompiledQuery,
    compile_query,
    one_edit,
    tsvector_literal,
    word_tsquery,
)
from board.search.highlight import stored_text

BODY_CAP = 20_000  # characters kept for snippets; the tsvector covers the whole text
RANK_WEIGHTS = "{0.1, 0.2, 0.4, 1.0}"  # D, C, B, A: quoted D (plan.WEIGHT_QUOTED of B), extra C, body B, title A
TITLE_BOOST = 2.0  # every searched word is in the title
COMMON_ENOUGH = 200  # a correction this frequent is as good as any more frequent one
RANK_LIMIT = 1000  # a query matching more ranks only its newest 1000 (see _SELECT)
COUNT_CAP = 10_000  # totals stop here (the service shows at most 500 pages of 20)
DENSE = COUNT_CAP - 1  # the count hit its cap: find the newest by date, not by bitmap

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

    def optimize(self) -> None:
        """VACUUM ANALYZE the entries: fresh planner statistics, and the GIN index's
        pending list merged into the index (every probe reads that list)."""
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f"VACUUM (ANALYZE) {_TABLE.name}"))

    @contextlib.contextmanager
    def bulk(self) -> Iterator[None]:
        """Each batch is its own upsert; at the end, ``optimize`` (a reindex leaves the
        GIN pending list full and the statistics stale)."""
        yield
        self.optimize()

    def versions(self) -> Mapping[str, str]:
        """Every indexed id with its version."""
        with self.engine.connect() as conn:
            return dict(conn.execute(select(_TABLE.c.id, _TABLE.c.version)).all())

    # Reading ---------------------------------------------------------------------------

    def search(self, query: SearchQuery) -> SearchPage:
        """Every word first; typos of unknown words next; then partial matches as the
        plan's fill policy says (``plan.fill_minmatch``)."""
        compiled = compile_query(query.text)
        if compiled is None or query.allowed_category_ids == frozenset():
            return SearchPage(total=0, page=max(query.page, 1), per_page=query.per_page)
        fixes: dict[str, list[str]] = {}
        with self.engine.connect() as conn:
            conn.execute(_PLANNER)
            total, rows = _run(conn, compiled, query)
            if total < plan.FILL_BELOW:  # few hits: maybe a typo found only by a root
                fixes = _corrections(conn, compiled)
                if fixes:
                    compiled = compiled.with_corrections(fixes)
                    total, rows = _run(conn, compiled, query)
            strict_total = total
            minmatch = compiled.fill_minmatch(total)
            if minmatch is not None:
                total, rows = _run(conn, compiled, query, minmatch)
                total = max(total, strict_total)
            bodies = _bodies(conn, [row.id for row in rows]) if query.snippets else {}
        return SearchPage(
            total=total,
            page=max(query.page, 1),
            per_page=query.per_page,
            hits=[_hit(row, bodies.get(row.id, ""), compiled) for row in rows],
            relaxed=strict_total == 0 and total > 0,
            suggestion=_suggestion(query.text, fixes) if fixes and total < 3 else None,
        )


def _corrections(conn, compiled: CompiledQuery) -> dict[str, list[str]]:
    """For each query word none of whose whole-term alternatives is indexed (prefixes and
    roots aside, as in the Whoosh backend): the indexed terms one edit away from its
    folded stem, commonest first (the typo fallback)."""
    fixes: dict[str, list[str]] = {}
    unknown = 0
    for word in compiled.positive_words():
        whole = [a for a in word.alternatives if not a.prefix]  # the plan's "known" rule
        if conn.execute(
            _EXISTS, {"tsquery": word_tsquery(replace(word, alternatives=whole))}
        ).scalar():
            continue
        unknown += 1
        if unknown > plan.MAX_TYPO_WORDS or len(word.fuzzy) < plan.MIN_TYPO_STEM:
            continue
        params = {"candidates": sorted(one_edit(word.fuzzy)), "enough": COMMON_ENOUGH}
        found = conn.execute(_FREQUENCIES, params).all()
        fixes[word.word] = [term for term, _count in found][: plan.MAX_CORRECTIONS]
    return {word: terms for word, terms in fixes.items() if terms}


# The planner prices ``@@`` as cheap and picks a sequential scan for common words or
# EXISTS, reading every tsvector; the GIN bitmap reads none. JIT compiling the typo
# lookup costs more than running it. Both local to the transaction (fine on a replica).
_PLANNER = text("SELECT set_config('enable_seqscan', 'off', true), set_config('jit', 'off', true)")
_EXISTS = text(
    "SELECT EXISTS (SELECT 1 FROM search_entries WHERE terms @@ CAST(:tsquery AS tsquery))"
)
_FREQUENCIES = text(
    """
SELECT c, n FROM (
    SELECT c, (SELECT count(*) FROM (
                   SELECT 1 FROM search_entries
                   WHERE terms @@ plainto_tsquery('simple', c) LIMIT :enough
               ) AS hits) AS n
    FROM unnest(CAST(:candidates AS text[])) AS c
) AS f WHERE n > 0 ORDER BY n DESC, c
"""
)


def _suggestion(text_: str, fixes: dict[str, list[str]]) -> str | None:
    """The query with each unknown word replaced by its commonest close word."""
    suggestion = text_
    for word, terms in fixes.items():
        surface = analysis.fold(analysis.normalize(word))
        stem = analysis.word_query(word)
        if stem is None or not surface.startswith(stem.fuzzy):
            continue
        suggestion = suggestion.replace(word, terms[0] + surface[len(stem.fuzzy) :], 1)
    return suggestion if suggestion != text_ else None


def _bodies(conn, ids: list[str]) -> dict[str, str]:
    """Bodies of one page of hits only: the ranking query never reads the large texts."""
    if not ids:
        return {}
    rows = conn.execute(select(_TABLE.c.id, _TABLE.c.body).where(_TABLE.c.id.in_(ids)))
    return dict(rows.all())


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
        "body": stored_text(doc.body, doc.quoted)[:BODY_CAP],
        "terms": tsvector_literal(doc.title, doc.body, doc.extra, doc.quoted),
    }


def _upsert(conn, rows: list[dict]) -> None:
    statement = insert(_TABLE).values(rows)
    columns = {c: statement.excluded[c] for c in rows[0] if c != "id"}
    conn.execute(statement.on_conflict_do_update(index_elements=["id"], set_=columns))


# Only the newest ``rank_limit`` matches are ranked: ts_rank_cd reads each one's tsvector
# from TOAST, and a word in half the board would otherwise rank half the board. Up to
# ``DENSE`` matches are found through the GIN bitmap (``matches``, which reads no
# tsvector); beyond that, walking created_at backwards finds the newest ones sooner.
# ``matched`` is how many of the query's clauses a row has, for partial matches.
_MATCHES_SPARSE = """
WITH matches AS MATERIALIZED (
    SELECT id, created_at FROM search_entries WHERE terms @@ CAST(:tsquery AS tsquery) {filters}
), candidates AS (
    SELECT id FROM matches ORDER BY created_at DESC LIMIT :rank_limit
)"""
_MATCHES_DENSE = """
WITH candidates AS MATERIALIZED (
    SELECT id FROM search_entries WHERE terms @@ CAST(:tsquery AS tsquery) {filters}
    ORDER BY created_at DESC LIMIT :rank_limit
)"""
_SELECT = """
SELECT *, count(*) OVER () AS partial_total FROM (
    SELECT e.id, type, thread_id, post_id, document_id, page, created_at,
           {matched} AS matched,
           ts_rank_cd(:weights, terms, q)
               * (CASE WHEN terms @@ tq THEN :title_boost ELSE 1.0 END)
               * {optional}
               * (CASE WHEN accepted THEN :accepted_boost
                       WHEN is_first OR type <> 'post' THEN :first_boost
                       ELSE 1.0 END) AS score
    FROM search_entries AS e JOIN candidates AS c ON c.id = e.id,
         CAST(:tsquery AS tsquery) AS q, CAST(:title_tsquery AS tsquery) AS tq
) AS m
WHERE matched >= :minmatch
ORDER BY {order}
LIMIT :limit OFFSET :offset
"""
# The total, counted through the GIN bitmap and stopped at COUNT_CAP.
_COUNT = """SELECT count(*) FROM (
    SELECT 1 FROM search_entries WHERE terms @@ CAST(:tsquery AS tsquery) {filters}
    LIMIT :count_cap) AS n"""
_BITMAP_OFF = text("SELECT set_config('enable_bitmapscan', 'off', true)")


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
    if query.thread_ids is not None:
        parts.append("thread_id = ANY(:threads)")
        params["threads"] = sorted(query.thread_ids)
    if query.author_id is not None:
        parts.append("author_id = :author_id")
        params["author_id"] = query.author_id
    if query.thread_id is not None:
        parts.append("thread_id = :thread_id")
        params["thread_id"] = query.thread_id
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


def _run(
    conn, compiled: CompiledQuery, query: SearchQuery, minmatch: int | None = None
) -> tuple[int, list]:
    """One page of matches and the total.

    Without ``minmatch`` every positive clause must match. With it, any may, rows with
    fewer than ``minmatch`` matching clauses are dropped, and more matching clauses rank
    first (coordination, as the Whoosh backend orders partial matches); their total is
    counted among the ranked candidates.
    """
    filters, params = _filters(query)
    groups = compiled.positive_sql()
    if minmatch is None:
        matched, tsquery, title_q = str(len(groups)), compiled.strict, compiled.title_query(False)
    else:
        params.update({f"g{i}": sql for i, sql in enumerate(groups)})
        matched = " + ".join(f"(terms @@ CAST(:g{i} AS tsquery))::int" for i in range(len(groups)))
        tsquery, title_q = compiled.relaxed, compiled.title_query(True)
    page = max(query.page, 1)
    params.update(tsquery=tsquery, count_cap=COUNT_CAP)
    total = conn.execute(text(_COUNT.format(filters=filters)), params).scalar_one()
    if total == 0 or (page - 1) * query.per_page >= total:
        return total, []
    dense = total > DENSE
    newest = "created_at DESC, id"
    order = (
        f"matched DESC, {newest}" if query.sort == "new" else f"matched DESC, score DESC, {newest}"
    )
    head = (_MATCHES_DENSE if dense else _MATCHES_SPARSE).format(filters=filters)
    optional = "1.0"
    if compiled.optional:
        optional = (
            "(CASE WHEN terms @@ CAST(:optional AS tsquery) THEN :optional_boost ELSE 1.0 END)"
        )
        params.update(optional=compiled.optional, optional_boost=plan.BOOST_OPTIONAL)
    sql = text(head + _SELECT.format(order=order, matched=matched, optional=optional))
    params.update(
        rank_limit=max(RANK_LIMIT, page * query.per_page),
        weights=RANK_WEIGHTS,
        title_tsquery=title_q,
        title_boost=TITLE_BOOST,
        accepted_boost=plan.BOOST_ACCEPTED,  # the same multipliers as plan.entry_rank
        first_boost=plan.BOOST_FIRST,
        minmatch=minmatch or 0,
        limit=query.per_page,
        offset=(page - 1) * query.per_page,
    )
    if dense:  # the rest of this read-only transaction needs no bitmap scan either
        conn.execute(_BITMAP_OFF)
    rows = conn.execute(sql, params).all()
    if minmatch is not None:
        total = int(rows[0].partial_total) if rows else 0
    return total, rows


def _hit(row, body: str, compiled: CompiledQuery) -> SearchHit:
    return SearchHit(
        id=row.id,
        score=float(row.score),
        snippet=compiled.snippet(body) if body else "",
        type=row.type,
        thread_id=row.thread_id,
        post_id=row.post_id,
        document_id=row.document_id,
        page=row.page,
    )
