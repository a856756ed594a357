"""Which documents a query matches, as a set, without scoring them; and scoring a few.

Whoosh finds matches by stepping a Python matcher through every posting, about 5 µs a
match with our OR-of-alternatives words; at 100,000 posts a common word matches half of
them and a query took 700 ms. Counting does not need that: each term's postings are read
block by block (128 ids at a time, in C) and the query's set algebra is done on Python
sets. Scoring (``top``) then reads the postings of just the candidates worth ranking.

It reads Whoosh internals (matcher and posting-block attributes), so it is tied to the
exact release pinned in ``requirements.txt`` (``whoosh-reloaded==2.7.5``): upgrade only
with ``tests/search/test_whoosh_dense.py`` passing.

``docset`` knows the query types ``query.QueryBuilder`` builds; anything else (phrases,
date ranges) falls back to Whoosh's own matcher, which is exact, just slower.
"""

from __future__ import annotations

import bisect
import heapq
from collections.abc import Iterable

from whoosh import query as wq
from whoosh.matching.wrappers import FilterMatcher
from whoosh.query.spans import SpanNear
from whoosh.reading import TermNotFound


def _leaf(reader, fieldname: str, text):
    """The raw postings matcher of one term in one segment, or None."""
    try:
        matcher = reader.postings(fieldname, text)
    except TermNotFound:  # also a field missing from an older index
        return None
    while isinstance(matcher, FilterMatcher):  # the segment's deletions: handled by caller
        matcher = matcher.child
    return matcher


def _blocks(reader, fieldname: str, text, memo: dict | None) -> list[tuple]:
    """One term's postings in one segment as (last id, ids, weights) per block.

    Read once per search (``memo``): counting needs the ids of every block, ranking
    the weights of the few blocks that hold candidates. Weights stay as Whoosh stored
    them (None: all 1.0; a float: all that; else one per id).
    """
    if isinstance(text, str):  # one key whichever way the term was named
        text = reader.schema[fieldname].to_bytes(text) if fieldname in reader.schema else None
    key = (id(reader), fieldname, text)
    if text is None:
        return []
    if memo is not None and key in memo:
        return memo[key]
    matcher, blocks = _leaf(reader, fieldname, text), []
    if matcher is None:
        pass
    elif not hasattr(matcher, "_read_ids"):  # not a whoosh3 block matcher: the slow way
        ids, weights = [], []
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            matcher.next()
        if ids:
            blocks.append((ids[-1], ids, weights))
    else:
        while matcher.is_active():
            if matcher._ids is None:
                matcher._read_ids()
            blocks.append((matcher._maxid, matcher._ids, matcher._data[1]))
            matcher._next_block()
    if memo is not None:
        memo[key] = blocks
    return blocks


def _postings(reader, fieldname: str, text, memo: dict | None) -> list[int]:
    """Every docnum in one segment with this term, deletions included (caller removes)."""
    ids: list[int] = []
    for _last, block_ids, _weights in _blocks(reader, fieldname, text, memo):
        ids.extend(block_ids)
    return ids


def _weights(reader, fieldname: str, text, wanted: set[int], memo: dict) -> dict[int, float]:
    """Term frequency (Whoosh's posting weight) of this term in the ``wanted`` docnums.

    Only blocks whose id range (after the previous block's last id, up to their own)
    holds a wanted docnum are looked at: ranking the newest 1,000 matches of a word in
    half the posts reads a few blocks, not 400.
    """
    found: dict[int, float] = {}
    targets, after = sorted(wanted), -1
    for last, ids, weights in _blocks(reader, fieldname, text, memo):
        start = bisect.bisect_right(targets, after)
        if start == len(targets):
            break
        if targets[start] <= last:
            for index, docnum in enumerate(ids):
                if docnum in wanted:
                    found[docnum] = (
                        1.0
                        if weights is None
                        else weights
                        if isinstance(weights, float)
                        else weights[index]
                    )
        after = last
    return found


def _segment(searcher, reader, q: wq.Query, memo: dict | None = None) -> set[int]:
    """The docnums of one segment ``q`` matches (deleted ones possibly included)."""
    if isinstance(q, wq.Term):
        return set(_postings(reader, q.fieldname, q.text, memo))
    if isinstance(q, wq.Or):
        out: set[int] = set()
        for sub in q.subqueries:
            out |= _segment(searcher, reader, sub, memo)
        return out
    if isinstance(q, wq.And):
        parts = sorted((_segment(searcher, reader, sub, memo) for sub in q.subqueries), key=len)
        out = parts[0] if parts else set()
        for part in parts[1:]:
            out &= part
        return out
    if isinstance(q, wq.AndNot):
        return _segment(searcher, reader, q.a, memo) - _segment(searcher, reader, q.b, memo)
    if isinstance(q, wq.AndMaybe):
        return _segment(searcher, reader, q.a, memo)
    if q is wq.NullQuery or isinstance(q, type(wq.NullQuery)):
        return set()
    if isinstance(q, wq.Prefix):
        out = set()
        for term in reader.expand_prefix(q.fieldname, q.text):
            out.update(_postings(reader, q.fieldname, term, memo))
        return out
    # Phrases and the like: Whoosh's matcher, once per search (``memo``), as it is slow.
    key = (id(reader), repr(q))
    if memo is None or key not in memo:
        found = set(q.matcher(searcher, searcher.boolean_context()).all_ids())
        if memo is None:
            return found
        memo[key] = found
    return memo[key]


def docset(searcher, q: wq.Query, memo: dict | None = None) -> set[int]:
    """Global docnums of every live document ``q`` matches.

    ``memo`` (a dict kept for one search) saves the slow parts for ``top``.
    """
    out: set[int] = set()
    for sub, offset in searcher.leaf_searchers():
        reader = sub.reader()
        found = _segment(sub, reader, q, memo)
        if reader.has_deletions():
            found -= reader.deleted_docs_set
        out.update(map(offset.__add__, found) if offset else found)
    return out


def _span_terms(q: wq.Query) -> list[wq.Term]:
    if isinstance(q, wq.Term):
        return [q]
    return [
        t for sub in (getattr(q, "a", None), getattr(q, "b", None)) if sub for t in _span_terms(sub)
    ]


def _scores(sub, reader, q: wq.Query, wanted: set[int], memo: dict) -> dict[int, float]:
    """Whoosh's score for ``q`` of each ``wanted`` docnum it matches, in one segment.

    The same sums Whoosh's matchers make (a union or an intersection adds its parts'
    scores, AND NOT keeps the left side's, AND MAYBE adds the right side's where it
    matches, a phrase the scores of its words), from the same per-term scorers; only
    the way to them differs: postings read block by block for just these documents.
    """
    if not wanted:
        return {}
    if isinstance(q, wq.Term):
        if q.fieldname not in sub.schema:
            return {}
        text = sub.schema[q.fieldname].to_bytes(q.text)
        weights = _weights(reader, q.fieldname, text, wanted, memo)
        if not weights:
            return {}
        scorer = sub.weighting.scorer(sub, q.fieldname, text)
        if not hasattr(scorer, "_score"):
            return {d: w * q.boost for d, w in weights.items()}
        return {d: scorer._score(w, scorer.dfl(d)) * q.boost for d, w in weights.items()}
    if isinstance(q, wq.Or | wq.Prefix):
        parts = (
            [
                wq.Term(q.fieldname, t, boost=q.boost)
                for t in reader.expand_prefix(q.fieldname, q.text)
            ]
            if isinstance(q, wq.Prefix)
            else q.subqueries
        )
        total: dict[int, float] = {}
        for part in parts:
            for docnum, score in _scores(sub, reader, part, wanted, memo).items():
                total[docnum] = total.get(docnum, 0.0) + score
        return total
    if isinstance(q, wq.And):
        total = {docnum: 0.0 for docnum in wanted}
        for part in q.subqueries:
            scored = _scores(sub, reader, part, set(total), memo)
            total = {docnum: total[docnum] + score for docnum, score in scored.items()}
        return total
    if isinstance(q, wq.AndNot):
        return _scores(sub, reader, q.a, wanted - _segment(sub, reader, q.b, memo), memo)
    if isinstance(q, wq.AndMaybe):
        total = _scores(sub, reader, q.a, wanted, memo)
        for docnum, score in _scores(sub, reader, q.b, set(total), memo).items():
            total[docnum] += score
        return total
    if q is wq.NullQuery or isinstance(q, type(wq.NullQuery)):
        return {}
    matched = wanted & _segment(sub, reader, q, memo)
    if isinstance(q, SpanNear):  # a phrase: Whoosh scores the words that make it up
        return _scores(sub, reader, wq.And(_span_terms(q)), matched, memo) if matched else {}
    return _matcher_scores(sub, q, matched)


def _matcher_scores(sub, q: wq.Query, wanted: set[int]) -> dict[int, float]:
    """Any other query: Whoosh's own matcher, skipped to each wanted docnum."""
    matcher, found = q.matcher(sub, sub.context()), {}
    for docnum in sorted(wanted):
        if not matcher.is_active():
            break
        matcher.skip_to(docnum)
        if matcher.is_active() and matcher.id() == docnum:
            found[docnum] = matcher.score()
    return found


def top(
    searcher, q: wq.Query, candidates: Iterable[int], limit: int, memo: dict | None = None
) -> list[Hit]:
    """The ``limit`` best of ``candidates`` (global docnums ``q`` matches), best first.

    Ties go to the lower docnum, and the weighting's ``final`` (the rank boost) applies,
    as in Whoosh's own top-N collector.
    """
    wanted, scored = set(candidates), {}
    for sub, offset in searcher.leaf_searchers():
        size = sub.doc_count_all()
        local = {n - offset for n in wanted if offset <= n < offset + size}
        for docnum, score in _scores(
            sub, sub.reader(), q, local, {} if memo is None else memo
        ).items():
            scored[docnum + offset] = score
    weighting = searcher.weighting
    if weighting.use_final:
        scored = {n: weighting.final(searcher, n, s) for n, s in scored.items()}
    best = heapq.nsmallest(limit, scored.items(), key=lambda item: (-item[1], item[0]))
    return [Hit(searcher, docnum, score) for docnum, score in best]


class Filter:
    """A filter's documents as the smaller of what it keeps and what it drops.

    Kept for the searcher's life, per filter: a guest's filter keeps nearly every
    document when one category is private, and 100,000 kept docnums are ~7 MB a copy.
    """

    def __init__(self, searcher, allowed: set[int]) -> None:
        self.keep: set[int] | None = allowed
        self.drop: set[int] = set()
        if len(allowed) > searcher.doc_count() // 2:
            self.keep = None
            for sub, offset in searcher.leaf_searchers():
                reader = sub.reader()
                live = set(range(offset, offset + reader.doc_count_all()))
                if reader.has_deletions():
                    live.difference_update(offset + n for n in reader.deleted_docs_set)
                self.drop |= live - allowed

    def apply(self, found: set[int]) -> set[int]:
        """``found`` less what the filter excludes."""
        return found & self.keep if self.keep is not None else found - self.drop


class Hit:
    """A found document outside Whoosh's ``Results`` (ordered by date, not scored)."""

    def __init__(self, searcher, docnum: int, score: float = 0.0) -> None:
        self.searcher, self.docnum, self.score = searcher, docnum, score

    def fields(self) -> dict:
        return self.searcher.stored_fields(self.docnum)

    def get(self, key: str, default: object = None) -> object:
        return self.fields().get(key, default)
