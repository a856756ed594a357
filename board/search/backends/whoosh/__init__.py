"""The default search backend: a Whoosh index in ``instance/index``.

This package is the only code that imports whoosh: ``schema`` (tokenizer, fields,
ranking), ``query`` (what the user typed as Whoosh queries) and this module (opening,
writing, searching). Text goes through ``analysis`` (the same terms the
PostgreSQL backend uses) into one combined ``content`` field (title, body, metadata) so a
query is a single-field AND; a small ``title`` field, filled for first posts and
documents only, adds a bonus so title matches and thread starters rank first. A stored
``excerpt`` (capped) feeds the snippets. Matches are counted and filtered as sets of
docnums and only the ones shown are scored (``docsets``), so totals are exact and a word
in half the posts costs little more than a rare one.

Per process there is one long-lived searcher, refreshed only when the index changed.
Storage is opened without mmap (``supports_mmap=False``), which keeps a worker's RSS small.
Whoosh allows one writer: it is taken with a short timeout, and a busy index raises
``IndexBusyError`` (never whoosh's ``LockError``) for the outbox drain to retry later.
"""

import contextlib
import fcntl
import os
import threading
from collections.abc import Iterable, Iterator, Mapping

from board.search.backend import IndexBusyError, SearchDoc, SearchHit, SearchPage, SearchQuery
from board.search.backends.whoosh.docsets import Filter, Hit, docset, top
from board.search.backends.whoosh.query import QueryBuilder
from board.search.backends.whoosh.schema import (
    BcsTokenizer,
    Ranking,
    doc_fields,
    quoted_field,
    schema,
)
from whoosh import index, writing
from whoosh.filedb.filestore import FileStorage
from whoosh.index import LockError

# An index's stored schema names its tokenizer class by the path it had when the index
# was created; ``board.search.whoosh_backend`` (a shim package) keeps the old paths.
__all__ = ["BcsTokenizer", "IndexBusyError", "WhooshBackend"]

LOCK_TIMEOUT = 2.0
CREATE_LOCK = ".create.lock"  # not "_MAIN_*": Whoosh's create() deletes only those
BULK_LOCK_TIMEOUT = 60.0
BULK_MEMORY_MB = 256  # Whoosh's posting pool spills sorted runs to disk beyond this
RERANK_POOL = 100  # partial matches re-ranked by how many query words they have
TIER_SIZE = 10  # segments of one size tier merged together
TIER_CAP = 1_000  # segments this large are only merged by optimize()
DENSE_AT = 2_000  # a query matching more ranks only its newest CANDIDATES (see _ranked)
CANDIDATES = 1_000
FILTER_CACHE = 4  # filter docsets kept per searcher (a set of ints each)


def merge_tiers(writer, segments):
    """Whoosh merge policy: merge ``TIER_SIZE`` segments of one size tier into one.

    Tiers are 1-9, 10-99 and 100-999 documents; larger segments are never rewritten by
    a commit, so the outbox drain after a post never waits for a big merge (Whoosh's
    default policy can rewrite most of the index there). ``optimize()`` merges all.
    """
    from whoosh.reading import SegmentReader

    tiers: dict[int, list] = {}
    for segment in segments:
        count = segment.doc_count_all()
        if count < TIER_CAP:
            tiers.setdefault(len(str(count)), []).append(segment)
    merged = [seg for group in tiers.values() if len(group) >= TIER_SIZE for seg in group]
    for segment in merged:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    return [segment for segment in segments if segment not in merged]


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


class WhooshBackend:
    """``SearchBackend`` over a Whoosh index directory; cheap to build, opens lazily."""

    def __init__(
        self,
        index_dir: str,
        lock_timeout: float = LOCK_TIMEOUT,
        dense_at: int = DENSE_AT,
        candidates: int = CANDIDATES,
    ) -> None:
        self.index_dir = index_dir
        self.lock_timeout = lock_timeout
        self.dense_at, self.candidates = dense_at, candidates
        self._filters: dict[str, Filter | None] = {}
        self._index: index.Index | None = None
        self._searcher = None
        self._corrections = {}
        self._lock = threading.RLock()
        self._bulk: writing.IndexWriter | None = None
        self._bulk_add = False

    # -- opening -------------------------------------------------------------------------
    def _open(self) -> index.Index:
        """Open the index, creating it if there is none, under a file lock.

        Without the lock two workers starting together could both see no index and both
        create one; Whoosh's create deletes every index file first, so the second could
        wipe segments the first had just written (lost entries; searches failing).
        """
        with self._lock:
            if self._index is None:
                os.makedirs(self.index_dir, exist_ok=True)
                storage = FileStorage(self.index_dir, supports_mmap=False)
                with open(os.path.join(self.index_dir, CREATE_LOCK), "a+b") as handle:
                    fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
                    try:
                        if index.exists(storage):
                            self._index = self._upgrade(storage.open_index())
                        else:
                            self._index = self._create(storage)
                    finally:
                        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
            return self._index

    def _upgrade(self, ix: index.Index) -> index.Index:
        """Add the fields an index made by an older version lacks (``quoted``), so new
        entries can be written at once; old entries keep their quotes in ``content``
        until ``flask board search reindex`` (``check`` lists them as stale)."""
        if "quoted" in ix.schema:
            return ix
        try:
            writer = ix.writer(timeout=BULK_LOCK_TIMEOUT, delay=0.1)
        except LockError as exc:
            raise IndexBusyError("the search index is being upgraded") from exc
        writer.add_field("quoted", quoted_field())
        writer.commit()
        return ix.storage.open_index()  # the generation with the new schema

    @staticmethod
    def _create(storage: FileStorage) -> index.Index:
        try:
            return storage.create_index(schema())
        except LockError as exc:  # another process is creating it right now
            raise IndexBusyError("search index is being created") from exc

    def searcher(self):
        """The process's searcher, reopened only when some writer changed the index.

        Not ``Searcher.refresh()``: whoosh-reloaded 2.7.5 merges the old reader's segments
        into the new one there, which can resurrect merged-away or deleted entries.
        """
        with self._lock:
            if self._searcher is not None and not self._searcher.up_to_date():
                self._searcher.close()
                self._searcher = None
            if self._searcher is None:
                self._corrections: dict[str, list[str]] = {}
                self._filters = {}
                self._searcher = self._open().searcher(weighting=Ranking())
            return self._searcher

    def close(self) -> None:
        """Release the searcher's open files (tests, shutdown)."""
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None

    def _writer(self) -> writing.IndexWriter:
        try:
            return self._open().writer(timeout=self.lock_timeout, delay=0.05)
        except LockError as exc:
            raise IndexBusyError("the search index is busy; try again shortly") from exc

    # -- writing -------------------------------------------------------------------------
    @contextlib.contextmanager
    def bulk(self) -> Iterator[None]:
        """One writer for everything written inside, committed as a single merged segment.

        A reindex in batches of 500 committed one segment per batch and left 20 at
        100,000 posts, and every query pays per segment; one writer indexes a third faster
        (no per-commit segment files, ``add_document`` when the index was empty) and the
        final ``optimize`` leaves one segment. Other writers wait meanwhile (the outbox
        keeps their work), so the caller should hold the drain lock.
        """
        try:
            writer = self._open().writer(
                timeout=BULK_LOCK_TIMEOUT, delay=0.1, limitmb=BULK_MEMORY_MB
            )
        except LockError as exc:
            raise IndexBusyError("the search index is busy; try again shortly") from exc
        with writer.searcher() as current:
            self._bulk_add = current.doc_count_all() == 0
        self._bulk = writer
        try:
            yield
        except BaseException:
            writer.cancel()
            raise
        finally:
            self._bulk = None
        writer.commit(optimize=True)

    @contextlib.contextmanager
    def _writing(self) -> Iterator[writing.IndexWriter]:
        """The bulk writer when one is open (committed by ``bulk``), else a committed one."""
        if self._bulk is not None:
            yield self._bulk
            return
        writer = self._writer()
        try:
            yield writer
        except BaseException:
            writer.cancel()
            raise
        writer.commit(mergetype=merge_tiers)

    def index(self, docs: Iterable[SearchDoc]) -> None:
        """Add or replace these documents, in one commit."""
        docs = list(docs)
        if not docs:
            return
        with self._writing() as writer:
            add = writer.add_document if self._bulk is writer and self._bulk_add else None
            for doc in docs:
                (add or writer.update_document)(**doc_fields(doc))

    def _delete_terms(self, fieldname: str, values: Iterable[str]) -> None:
        values = list(values)
        if not values:
            return
        with self._writing() as writer:
            for value in values:
                writer.delete_by_term(fieldname, value)

    def delete(self, ids: Iterable[str]) -> None:
        """Remove these ids; unknown ids are ignored."""
        self._delete_terms("id", ids)

    def delete_documents(self, document_ids: Iterable[int]) -> None:
        """Remove every page of these documents."""
        self._delete_terms("document_id", (str(i) for i in document_ids))

    def optimize(self) -> None:
        """Merge every segment into one: new posts add small segments, merged by tier
        up to 1,000 documents and never beyond inside a request, so a busy board slowly
        gathers segments that every query pays for."""
        self._writer().commit(optimize=True)

    def clear(self) -> None:
        """Remove everything (before a full reindex)."""
        self._writer().commit(mergetype=writing.CLEAR)

    def versions(self) -> Mapping[str, str]:
        """Every indexed id with its version, read from columns (no stored text)."""
        with self._lock:
            searcher = self.searcher()
            reader = searcher.reader()
            if not reader.has_column("id"):  # empty, or built before ids were columns
                return {f["id"]: _text(f.get("version", "")) for f in searcher.all_stored_fields()}
            ids, versions = reader.column_reader("id"), reader.column_reader("version")
            return {ids[n]: _text(versions[n]) for n in reader.all_doc_ids()}

    # -- searching -----------------------------------------------------------------------
    def search(self, query: SearchQuery) -> SearchPage:
        """Run a query; AND first, any word when nothing has all of them."""
        page, per_page = max(1, query.page), max(1, min(query.per_page, 100))
        with self._lock:
            searcher = self.searcher()
            builder = QueryBuilder(searcher.reader(), query.text, self._corrections)
            if builder.empty or query.allowed_category_ids == frozenset():
                return SearchPage(total=0, page=page, per_page=per_page)
            allowed = self._allowed(searcher, builder.filter(query))
            hits, total, relaxed = self._run(searcher, builder, query, allowed, page * per_page)
            shown = [
                self._hit(r, builder if query.snippets else None)
                for r in hits[(page - 1) * per_page : page * per_page]
            ]
            suggestion = None
            if builder.unknown:
                suggestion = builder.suggestion(
                    hits, lambda q: bool(self._matching(searcher, q, allowed, {}))
                )
        return SearchPage(total, page, per_page, shown, relaxed=relaxed, suggestion=suggestion)

    def _allowed(self, searcher, flt) -> Filter | None:
        """The filter as docnums, cached per searcher; None when it keeps everything.

        Whoosh recomputes a filter for every search by stepping through its postings
        (half the time of a one-word query at 20,000 posts); the category filter of a
        guest or a member is the same search after search.
        """
        if flt is None:
            return None
        key = repr(flt)
        if key not in self._filters:
            allowed = docset(searcher, flt)
            if len(self._filters) >= FILTER_CACHE:
                self._filters.pop(next(iter(self._filters)))
            full = len(allowed) == searcher.doc_count()
            self._filters[key] = None if full else Filter(searcher, allowed)
        return self._filters[key]

    def _ranked(self, searcher, q, matches: set[int], limit: int, sort: str, memo: dict) -> list:
        """The first ``limit`` of ``matches`` (exactly what ``q`` matches, filtered).

        They are scored from their postings (``docsets.top``: Whoosh's own scores),
        never by Whoosh's walk through every posting of every alternative. Up to
        ``dense_at`` matches all are
        ranked; beyond, only the newest ``candidates`` (highest docnums: the index is
        written in post order, and edits and new posts go to the newest segments), as
        the PostgreSQL backend does: a word in half the posts says little, recency says
        more, and scoring every match in Python took 700 ms at 100,000 posts.
        """
        chosen = matches if len(matches) <= self.dense_at else sorted(matches)[-self.candidates :]
        if sort == "new":
            created = searcher.reader().column_reader("created_at")
            newest = sorted(chosen, key=lambda n: (created[n], n), reverse=True)
            return [Hit(searcher, n) for n in newest[:limit]]
        return top(searcher, q, chosen, limit, memo)

    @staticmethod
    def _matching(searcher, q, allowed: Filter | None, memo: dict) -> set[int]:
        """Every docnum ``q`` matches that the filter keeps."""
        found = docset(searcher, q, memo)
        return allowed.apply(found) if allowed is not None else found

    def _run(self, searcher, builder: QueryBuilder, query: SearchQuery, allowed, limit: int):
        """Hits with every word first; when they are few, hits with most words below them.

        Returns (hits up to ``limit``, total, relaxed). How many words a partial match
        needs is the plan's fill policy (``plan.fill_minmatch``); ``relaxed`` says that
        nothing had every word. Partial matches are ordered by how many words they have.
        Totals are exact: they come from the match sets, not from what was scored.
        """
        memo: dict = {}

        def matching(q) -> set[int]:
            return self._matching(searcher, q, allowed, memo)

        strict_q = builder.strict()
        matches = matching(strict_q)
        strict = self._ranked(searcher, strict_q, matches, limit, query.sort, memo)
        fill = builder.fill(len(matches))
        if fill is None:
            return strict, len(matches), False
        fill_q, minmatch = fill
        groups = [docset(searcher, group, memo) for group in builder.groups]
        loose_matches = matching(fill_q) - matches
        if 1 < minmatch < len(groups) - 1:  # neither "any" nor "all but one": count them
            loose_matches = {n for n in loose_matches if sum(n in g for g in groups) >= minmatch}
        pool = max(limit + len(matches), RERANK_POOL)
        loose = self._ranked(searcher, fill_q, loose_matches, pool, query.sort, memo)
        if query.sort != "new":  # coordination: more of the query's words first, then BM25F
            loose.sort(key=lambda hit: (-sum(hit.docnum in g for g in groups), -hit.score))
        hits = strict + loose
        return hits[:limit], len(loose_matches) + len(matches), not matches

    @staticmethod
    def _hit(result, builder: QueryBuilder | None) -> SearchHit:
        stored = result.fields()
        document_id = stored.get("document_id")
        return SearchHit(
            id=stored["id"],
            score=float(result.score or 0.0),
            snippet=builder.snippet(stored.get("excerpt", "")) if builder else "",
            type=stored["type"],
            thread_id=int(stored["thread_id"]),
            post_id=int(stored["post_id"]),
            document_id=int(document_id) if document_id else None,
            page=stored.get("page"),
        )
