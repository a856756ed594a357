"""The default search backend: a Whoosh index in ``instance/index``.

The only module that imports whoosh. Text goes through ``analysis`` (the same terms the
PostgreSQL backend uses) into one combined ``content`` field (title, body, metadata) so a
query is a single-field AND; a small ``title`` field, filled for first posts and
documents only, adds a bonus so title matches and thread starters rank first. A stored
``excerpt`` (capped) feeds the snippets; filters are indexed fields applied inside the
search, so totals and pages are right.

Per process there is one long-lived searcher, refreshed only when the index changed.
Storage is opened without mmap (``supports_mmap=False``), which keeps a worker's RSS small.
Whoosh allows one writer: it is taken with a short timeout, and a busy index raises
``IndexBusyError`` (never whoosh's ``LockError``) for the outbox drain to retry later.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, time

from whoosh import columns, fields, index, scoring, writing
from whoosh import query as wq
from whoosh.analysis import Token, Tokenizer
from whoosh.filedb.filestore import FileStorage
from whoosh.index import LockError
from whoosh.query.spans import SpanNear as _SpanNear

from board.search import analysis, syntax
from board.search.backend import SearchDoc, SearchHit, SearchPage, SearchQuery
from board.search.highlight import snippet

EXCERPT_CHARS = 20_000
BOOST_FIRST = 1.3  # thread starters and documents over replies
BOOST_ACCEPTED = 1.5  # accepted answers over everything else
LOCK_TIMEOUT = 2.0
RERANK_POOL = 100  # partial matches re-ranked by how many query words they have
MAX_FUZZY_WORDS = 4  # words per query that get typo corrections
PREFIX_SLACK = 2  # a stem prefix matches terms at most this much longer
FILL_BELOW = 10  # fewer hits with every word: show hits with some words below them


class IndexBusyError(RuntimeError):
    """Another process holds the index writer; try again later (the outbox keeps the work)."""


class BcsTokenizer(Tokenizer):
    """Whoosh tokenizer emitting ``analysis.index_tokens``: every form at one position."""

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: object,
    ):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for item in analysis.index_tokens(value):
            for form in item.forms:
                token.text = form
                token.boost = 1.0
                token.stopped = False
                if keeporiginal:
                    token.original = value[item.start : item.end]
                if positions:
                    token.pos = start_pos + item.pos
                if chars:
                    token.startchar = start_char + item.start
                    token.endchar = start_char + item.end
                yield token


def schema() -> fields.Schema:
    """Stored ids, filter fields, and the analysed text fields."""
    analyzer = BcsTokenizer()
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        version=fields.STORED(),
        type=fields.ID(stored=True),
        thread_id=fields.ID(stored=True),
        post_id=fields.ID(stored=True),
        document_id=fields.ID(stored=True),
        page=fields.STORED(),
        doc_type=fields.ID(stored=True),
        category_id=fields.ID(stored=True),
        author_id=fields.ID(stored=True),
        created_at=fields.DATETIME(stored=True, sortable=True),
        solved=fields.BOOLEAN(stored=True),
        accepted=fields.BOOLEAN(stored=True),
        rank=fields.COLUMN(columns.NumericColumn("f", default=1.0)),
        content=fields.TEXT(analyzer=analyzer, phrase=True),
        title=fields.TEXT(analyzer=analyzer, phrase=False),
        excerpt=fields.STORED(),
    )


class SpanNear(_SpanNear):
    """Whoosh's SpanNear, plus the size estimate compound queries ask their parts for."""

    def estimate_size(self, ixreader) -> int:
        return min(self.a.estimate_size(ixreader), self.b.estimate_size(ixreader))

    def estimate_min_size(self, ixreader) -> int:
        return 0


class Ranking(scoring.BM25F):
    """BM25F, then multiplied by each document's stored rank (first post, accepted answer)."""

    use_final = True

    def final(self, searcher, docnum: int, score: float) -> float:
        return score * searcher.reader().column_reader("rank")[docnum]


def _naive_utc(value: datetime) -> datetime:
    return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value


def _fields(doc: SearchDoc) -> dict:
    rank = (
        BOOST_ACCEPTED
        if doc.accepted
        else BOOST_FIRST
        if doc.is_first or doc.type != "post"
        else 1.0
    )
    values = {
        "id": doc.id,
        "version": doc.version,
        "type": doc.type,
        "thread_id": str(doc.thread_id),
        "post_id": str(doc.post_id),
        "page": doc.page,
        "doc_type": doc.doc_type or "",
        "category_id": str(doc.category_id),
        "author_id": str(doc.author_id),
        "created_at": _naive_utc(doc.created_at),
        "solved": bool(doc.solved),
        "accepted": bool(doc.accepted),
        "rank": rank,
        "content": analysis.PART_SEPARATOR.join((doc.title, doc.body, doc.extra)),
        "excerpt": doc.body[:EXCERPT_CHARS],
    }
    if doc.document_id is not None:
        values["document_id"] = str(doc.document_id)
    if doc.is_first or doc.accepted or doc.type != "post":
        values["title"] = doc.title
    return values


class QueryBuilder:
    """Turns what the user typed into Whoosh queries, using ``analysis`` for every word.

    Words become an OR of their weighted alternatives (folded stem, exact stem, stem
    prefix, lexical variants); a word none of whose alternatives is in the index gets a
    one-edit fuzzy fallback from the index vocabulary (typos), and that is also where the
    "did you mean" comes from.
    """

    def __init__(self, reader, text: str, corrections: dict[str, list[str]] | None = None) -> None:
        self.reader = reader
        self.cache = {} if corrections is None else corrections
        self.text = text
        self.parsed = syntax.parse(text)
        self.terms: set[str] = set()
        self.prefixes: set[str] = set()
        self.group_terms: list[tuple[set[str], set[str]]] = []  # per group: terms, prefixes
        self.title_alts: dict[str, float] = {}
        self.unknown: list[analysis.WordQuery] = []
        self.groups = [g for g in (self._group(group) for group in self.parsed.groups) if g]
        self.excluded = [q for q in (self._item(item, False) for item in self.parsed.excluded) if q]

    @property
    def empty(self) -> bool:
        return not self.groups

    @property
    def can_relax(self) -> bool:
        return len(self.groups) > 1

    def _group(self, items: list[syntax.Item]) -> wq.Query | None:
        all_terms, all_prefixes = self.terms, self.prefixes
        self.terms, self.prefixes = set(), set()  # collect this group's own terms
        subs = [q for q in (self._item(item, True) for item in items) if q is not None]
        if subs:
            self.group_terms.append((self.terms, self.prefixes))
        self.terms, self.prefixes = all_terms | self.terms, all_prefixes | self.prefixes
        return wq.Or(subs) if len(subs) > 1 else (subs[0] if subs else None)

    def matched_groups(self, hit) -> int:
        """How many groups a hit (searched with ``terms=True``) matched."""
        matched = {
            t.decode() if isinstance(t, bytes) else t
            for f, t in hit.matched_terms()
            if f == "content"
        }
        return sum(
            1
            for terms, prefixes in self.group_terms
            if matched & terms or any(m.startswith(tuple(prefixes)) for m in matched if prefixes)
        )

    def _item(self, item: syntax.Item, positive: bool) -> wq.Query | None:
        if item.kind == "prefix":
            forms = analysis.prefix_forms(item.text)
            if positive:
                self.prefixes.update(forms)
            return wq.Or([wq.Prefix("content", f, constantscore=False) for f in forms])
        if item.kind == "phrase":
            phrase = self._phrase(item.text, positive)
            if phrase is not None:
                return phrase
        words = [self._word(w, positive) for w in analysis.query_words(item.text)]
        return wq.And(words) if len(words) > 1 else (words[0] if words else None)

    def _phrase(self, text: str, positive: bool) -> wq.Query | None:
        terms = analysis.phrase_terms(text)
        words = [t for t in terms if t is not None]
        if len(words) < 2:
            return None
        if positive:
            self.terms.update(words)
        # Nested spans with an exact distance per step: a stop word in the phrase must be
        # a word (any word: stop words are not indexed) in the post too.
        span: wq.Query = wq.Term("content", terms[0])
        distance = 1
        for term in terms[1:]:
            if term is None:
                distance += 1
                continue
            span = SpanNear(span, wq.Term("content", term), slop=distance, mindist=distance)
            distance = 1
        return span

    def _near_terms(self, prefix: str) -> list[str]:
        """Index terms starting with ``prefix`` and at most ``PREFIX_SLACK`` letters longer.

        Snowball's inconsistencies differ by a letter or two (``izvešta``/``izveštaj``);
        longer words with the same start are other words (``zapisničar``).
        """
        out = []
        for term in self.reader.expand_prefix("content", prefix):
            text = term.decode() if isinstance(term, bytes) else term
            if len(text) <= len(prefix) + PREFIX_SLACK:
                out.append(text)
                if len(out) >= 50:
                    break
        return out

    def _word(self, word: analysis.WordQuery, positive: bool) -> wq.Query:
        subs: list[wq.Query] = []
        known = False
        for alt in word.alternatives:
            found = self._near_terms(alt.term) if alt.prefix else [alt.term]
            known = known or (not alt.prefix and self.reader.doc_frequency("content", alt.term) > 0)
            subs.extend(wq.Term("content", t, boost=alt.weight) for t in found)
            if positive:
                self.terms.update(found)
                if not alt.prefix:
                    self.title_alts[alt.term] = max(alt.weight, self.title_alts.get(alt.term, 0))
        if not known:  # not in the index as written: a typo? one edit away, lower weight
            fixes = self._corrections(word.fuzzy) if len(self.unknown) < MAX_FUZZY_WORDS else []
            subs.extend(wq.Term("content", t, boost=analysis.WEIGHT_FUZZY) for t in fixes)
            if positive:
                self.unknown.append(word)
                self.terms.update(fixes)
        return wq.Or(subs) if subs else wq.NullQuery

    def _corrections(self, stem: str) -> list[str]:
        """Index terms one edit from ``stem`` (same first letter), cached per index version.

        Whoosh builds a Levenshtein automaton per word in Python (milliseconds), so the
        answer is kept until the index changes.
        """
        if len(stem) < 4:
            return []
        if stem not in self.cache:
            found = self.reader.terms_within("content", stem, 1, prefix=1)
            self.cache[stem] = sorted(
                found, key=lambda t: -self.reader.doc_frequency("content", t)
            )[:20]
        return self.cache[stem]

    def _with_title_bonus(self, required: wq.Query) -> wq.Query:
        if self.excluded:
            required = wq.AndNot(required, wq.Or(self.excluded))
        if not self.title_alts:
            return required
        bonus = wq.Or([wq.Term("title", t, boost=w) for t, w in self.title_alts.items()])
        return wq.AndMaybe(required, bonus)

    def strict(self) -> wq.Query:
        """Every group must match."""
        return self._with_title_bonus(wq.And(self.groups) if self.can_relax else self.groups[0])

    def relaxed(self) -> wq.Query:
        """Any group may match; more matching groups still score higher."""
        return self._with_title_bonus(wq.Or(self.groups))

    def most(self) -> wq.Query | None:
        """All but about a quarter of the groups (Solr's ``mm=75%``), for 3+ groups only.

        A longer query often has one word the post says differently (a derived form, a
        synonym the table lacks); two-word queries stay strict.
        """
        n = len(self.groups)
        if n < 3:
            return None
        return self._with_title_bonus(wq.Or(self.groups, minmatch=max(2, n * 3 // 4)))

    def filter(self, query: SearchQuery) -> wq.Query | None:
        """The service's filters as one Whoosh query, applied inside the search."""
        parts: list[wq.Query] = []
        for name, ids in (
            ("category_id", query.allowed_category_ids),
            ("category_id", query.category_ids),
        ):
            if ids is not None:
                parts.append(
                    wq.Or([wq.Term(name, str(i)) for i in sorted(ids)]) if ids else wq.NullQuery
                )
        if query.author_id is not None:
            parts.append(wq.Term("author_id", str(query.author_id)))
        if query.type:
            parts.append(wq.Term("type", query.type))
        if query.solved_only:
            parts.append(wq.Term("solved", True))
        if query.date_from or query.date_to:
            start = datetime.combine(query.date_from, time.min) if query.date_from else None
            end = datetime.combine(query.date_to, time.max) if query.date_to else None
            parts.append(wq.DateRange("created_at", start, end))
        return wq.And(parts) if parts else None

    def snippet(self, text: str) -> str:
        """Highlighted HTML of the best part of ``text``."""
        return snippet(text, self.terms, tuple(self.prefixes))

    def suggestion(self, searcher, flt: wq.Query | None, total: int) -> str | None:
        """The query with unknown words replaced by the commonest close index words.

        Offered when some word is not in the index at all and the corrected query finds
        at least as much as the query did with its fuzzy guesses.
        """
        text = self.text
        for word in self.unknown:
            surface = analysis.fold(analysis.normalize(word.word))
            if not surface.startswith(word.fuzzy):
                continue
            fixes = self._corrections(word.fuzzy)
            if not fixes:
                continue
            best = fixes[0]  # the commonest
            text = text.replace(word.word, best + surface[len(word.fuzzy) :], 1)
        if text == self.text:
            return None
        corrected = QueryBuilder(self.reader, text, self.cache)
        if corrected.unknown or corrected.empty:
            return None
        found = len(searcher.search(corrected.strict(), limit=1, filter=flt))
        return text if found and found >= total else None


class WhooshBackend:
    """``SearchBackend`` over a Whoosh index directory; cheap to build, opens lazily."""

    def __init__(self, index_dir: str, lock_timeout: float = LOCK_TIMEOUT) -> None:
        self.index_dir = index_dir
        self.lock_timeout = lock_timeout
        self._index: index.Index | None = None
        self._searcher = None
        self._corrections = {}
        self._lock = threading.RLock()

    # -- opening -------------------------------------------------------------------------
    def _open(self) -> index.Index:
        with self._lock:
            if self._index is None:
                os.makedirs(self.index_dir, exist_ok=True)
                storage = FileStorage(self.index_dir, supports_mmap=False)
                if index.exists(storage):
                    self._index = storage.open_index()
                else:
                    self._index = self._create(storage)
            return self._index

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
    def index(self, docs: Iterable[SearchDoc]) -> None:
        """Add or replace these documents, in one commit."""
        docs = list(docs)
        if not docs:
            return
        writer = self._writer()
        try:
            for doc in docs:
                writer.update_document(**_fields(doc))
        except BaseException:
            writer.cancel()
            raise
        writer.commit()

    def _delete_terms(self, fieldname: str, values: Iterable[str]) -> None:
        values = list(values)
        if not values:
            return
        writer = self._writer()
        try:
            for value in values:
                writer.delete_by_term(fieldname, value)
        except BaseException:
            writer.cancel()
            raise
        writer.commit()

    def delete(self, ids: Iterable[str]) -> None:
        """Remove these ids; unknown ids are ignored."""
        self._delete_terms("id", ids)

    def delete_documents(self, document_ids: Iterable[int]) -> None:
        """Remove every page of these documents."""
        self._delete_terms("document_id", (str(i) for i in document_ids))

    def clear(self) -> None:
        """Remove everything (before a full reindex)."""
        self._writer().commit(mergetype=writing.CLEAR)

    def versions(self) -> Mapping[str, str]:
        """Every indexed id with its version."""
        with self._lock:
            searcher = self.searcher()
            return {f["id"]: f.get("version", "") for f in searcher.all_stored_fields()}

    # -- searching -----------------------------------------------------------------------
    def search(self, query: SearchQuery) -> SearchPage:
        """Run a query; AND first, any word when nothing has all of them."""
        page, per_page = max(1, query.page), max(1, min(query.per_page, 100))
        with self._lock:
            searcher = self.searcher()
            builder = QueryBuilder(searcher.reader(), query.text, self._corrections)
            if builder.empty or query.allowed_category_ids == frozenset():
                return SearchPage(total=0, page=page, per_page=per_page)
            flt = builder.filter(query)
            hits, total, relaxed = self._run(searcher, builder, query, flt, page * per_page)
            shown = [self._hit(r, builder) for r in hits[(page - 1) * per_page : page * per_page]]
            suggestion = builder.suggestion(searcher, flt, total) if builder.unknown else None
        return SearchPage(total, page, per_page, shown, relaxed=relaxed, suggestion=suggestion)

    @staticmethod
    def _run(searcher, builder: QueryBuilder, query: SearchQuery, flt, limit: int):
        """Hits with every word first; when they are few, hits with most words below them.

        Returns (hits up to ``limit``, total, relaxed). Nothing with every word: any word
        will do, and ``relaxed`` says so. Fewer than ``FILL_BELOW`` hits with every word
        in a query of 3+ words: hits missing about a quarter of the words follow them,
        so a precise query is never diluted and one word said differently in a post
        does not hide it. Partial matches are ordered by how many words they have.
        """
        sort = {"sortedby": "created_at", "reverse": True} if query.sort == "new" else {}
        strict = searcher.search(builder.strict(), limit=limit, filter=flt, **sort)
        strict_total = len(strict)
        fill = builder.relaxed() if strict_total == 0 else builder.most()
        if strict_total >= FILL_BELOW or not builder.can_relax or fill is None:
            return list(strict), strict_total, False
        pool = max(limit + strict_total, RERANK_POOL)
        loose = searcher.search(fill, limit=pool, filter=flt, terms=True, **sort)
        seen = {hit.docnum for hit in strict}
        rest = [hit for hit in loose if hit.docnum not in seen]
        if not sort:  # coordination: more of the query's words first, then BM25F
            rest.sort(key=lambda hit: (-builder.matched_groups(hit), -hit.score))
        hits = list(strict) + rest
        return hits[:limit], max(len(loose), strict_total), strict_total == 0

    @staticmethod
    def _hit(result, builder: QueryBuilder) -> SearchHit:
        stored = result.fields()
        document_id = stored.get("document_id")
        return SearchHit(
            id=stored["id"],
            score=float(result.score or 0.0),
            snippet=builder.snippet(stored.get("excerpt", "")),
            type=stored["type"],
            thread_id=int(stored["thread_id"]),
            post_id=int(stored["post_id"]),
            document_id=int(document_id) if document_id else None,
            page=stored.get("page"),
        )
