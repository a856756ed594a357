"""Which documents a query matches, as a set, without scoring them; and scoring a few.

Whoosh finds matches by stepping a Python matcher through every posting, about 5 µs a
match with our OR-of-alternatives words; at 100,000 posts a common word matches half of
them and a query took 700 ms. Counting does not need that: each term's postings are read
block by block (128 ids at a time, in C) and the query's set algebra is done on Python
sets. Scoring then visits only the candidates worth ranking (``CandidateCollector``).

``docset`` knows the query types ``query.QueryBuilder`` builds; anything else (phrases,
date ranges) falls back to Whoosh's own matcher, which is exact, just slower.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable

from whoosh import collectors
from whoosh import query as wq
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound


def _postings(reader, fieldname: str, text) -> list[int]:
    """Every docnum in one segment with this term, deletions included (caller removes)."""
    try:
        matcher = reader.postings(fieldname, text)
    except TermNotFound:  # also a field missing from an older index
        return []
    while isinstance(matcher, FilterMatcher):  # the segment's deletions: handled by caller
        matcher = matcher.child
    if not hasattr(matcher, "_read_ids"):  # not a whoosh3 block matcher: the slow, sure way
        return list(matcher.all_ids())
    ids: list[int] = []
    while matcher.is_active():
        if matcher._ids is None:
            matcher._read_ids()
        ids.extend(matcher._ids[matcher._i :])
        matcher._next_block()
    return ids


def _segment(searcher, reader, q: wq.Query) -> set[int]:
    """The docnums of one segment ``q`` matches (deleted ones possibly included)."""
    if isinstance(q, wq.Term):
        return set(_postings(reader, q.fieldname, q.text))
    if isinstance(q, wq.Or):
        out: set[int] = set()
        for sub in q.subqueries:
            out |= _segment(searcher, reader, sub)
        return out
    if isinstance(q, wq.And):
        parts = sorted((_segment(searcher, reader, sub) for sub in q.subqueries), key=len)
        out = parts[0] if parts else set()
        for part in parts[1:]:
            out &= part
        return out
    if isinstance(q, wq.AndNot):
        return _segment(searcher, reader, q.a) - _segment(searcher, reader, q.b)
    if isinstance(q, wq.AndMaybe):
        return _segment(searcher, reader, q.a)
    if q is wq.NullQuery or isinstance(q, type(wq.NullQuery)):
        return set()
    if isinstance(q, wq.Prefix):
        out = set()
        for term in reader.expand_prefix(q.fieldname, q.text):
            out.update(_postings(reader, q.fieldname, term))
        return out
    return set(q.matcher(searcher, searcher.boolean_context()).all_ids())


def docset(searcher, q: wq.Query) -> set[int]:
    """Global docnums of every live document ``q`` matches."""
    out: set[int] = set()
    for sub, offset in searcher.leaf_searchers():
        reader = sub.reader()
        found = _segment(sub, reader, q)
        if reader.has_deletions():
            found -= reader.deleted_docs_set
        out.update(map(offset.__add__, found) if offset else found)
    return out


class CandidateCollector(collectors.TopCollector):
    """Whoosh's top-N collector that scores only the given docnums.

    The matcher skips to each candidate (a block at a time) instead of stepping through
    every match, so the cost follows the number of candidates, not of matches.
    """

    def __init__(self, candidates: Iterable[int], limit: int) -> None:
        super().__init__(limit=limit)
        self.candidates = sorted(candidates)

    def collect_matches(self) -> None:
        matcher, offset = self.matcher, self.offset
        end = offset + self.subsearcher.doc_count_all()
        first = bisect.bisect_left(self.candidates, offset)
        last = bisect.bisect_left(self.candidates, end)
        for docnum in self.candidates[first:last]:
            local = docnum - offset
            if not matcher.is_active():
                break
            if matcher.id() < local:
                matcher.skip_to(local)
                if not matcher.is_active():
                    break
            if matcher.id() == local:
                self.collect(local)


class Hit:
    """A found document outside Whoosh's ``Results`` (ordered by date, not scored)."""

    def __init__(self, searcher, docnum: int, score: float = 0.0) -> None:
        self.searcher, self.docnum, self.score = searcher, docnum, score

    def fields(self) -> dict:
        return self.searcher.stored_fields(self.docnum)

    def get(self, key: str, default: object = None) -> object:
        return self.fields().get(key, default)
