"""What the user typed, as Whoosh queries: words, phrases, prefixes, filters, fixes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time

from board.search import analysis, plan
from board.search.backend import SearchQuery
from board.search.highlight import snippet
from board.text.script import cyrillic_to_latin, has_cyrillic, latin_to_cyrillic
from whoosh import query as wq
from whoosh.query.spans import SpanNear as _SpanNear

SUGGEST_TEXT = 5_000  # characters of each top hit read for the spelling of a correction
PREFIX_SLACK = 2  # a stem prefix matches terms at most this much longer


TEXT_FIELDS = ("content", "quoted")  # a post's own words, and the words it quotes


class SpanNear(_SpanNear):
    """Whoosh's SpanNear, plus the size estimate compound queries ask their parts for."""

    def estimate_size(self, ixreader) -> int:
        return min(self.a.estimate_size(ixreader), self.b.estimate_size(ixreader))

    def estimate_min_size(self, ixreader) -> int:
        return 0


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
        self.plan = plan.build(text)
        self.terms: set[str] = set()
        self.prefixes: set[str] = set()
        self.title_alts: dict[str, float] = {}
        self.unknown: list[analysis.WordQuery] = []
        self.groups: list[wq.Query] = []
        for group in self.plan.groups:
            built = self._group(group)
            if built is not None and built not in self.groups:  # "x x": Whoosh miscounts
                self.groups.append(built)
        self.excluded = [q for q in (self._option(o, False) for o in self.plan.excluded) if q]

    @property
    def empty(self) -> bool:
        return not self.groups

    @property
    def can_relax(self) -> bool:
        return len(self.groups) > 1

    def _group(self, group: plan.Group) -> wq.Query | None:
        subs = [q for q in (self._option(o, True) for o in group.options) if q is not None]
        return wq.Or(subs) if len(subs) > 1 else (subs[0] if subs else None)

    def _option(self, option: plan.Option, positive: bool) -> wq.Query | None:
        subs = [self._piece(piece, positive, option.weight) for piece in option.pieces]
        return wq.And(subs) if len(subs) > 1 else (subs[0] if subs else None)

    def _piece(self, piece: plan.Piece, positive: bool, weight: float = 1.0) -> wq.Query:
        if isinstance(piece, plan.Word):
            return self._word(piece.query, positive, weight)
        if isinstance(piece, plan.Phrase):
            return self._phrase(piece.terms, positive, weight)
        if positive:
            self.prefixes.update(piece.forms)
        return wq.Or(
            [wq.Prefix("content", f, constantscore=False) for f in piece.forms]
            + [
                wq.Prefix("quoted", f, boost=plan.WEIGHT_QUOTED, constantscore=False)
                for f in piece.forms
            ]
        )

    def _phrase(self, terms: tuple[str | None, ...], positive: bool, weight: float) -> wq.Query:
        if positive:
            self.terms.update(t for t in terms if t is not None)
        return wq.Or(
            [
                _span("content", terms, weight),
                _span("quoted", terms, weight * plan.WEIGHT_QUOTED),
            ]
        )

    def _near_terms(self, prefix: str, slack: int = PREFIX_SLACK) -> list[str]:
        """Index terms starting with ``prefix`` and at most ``slack`` letters longer.

        Snowball's inconsistencies differ by a letter or two (``izvešta``/``izveštaj``);
        longer words with the same start are other words (``zapisničar``), except for a
        derivational root (``budzet``: ``budzetsk``), which gets a wider slack.
        """
        out: list[str] = []
        for field in TEXT_FIELDS:
            for term in self.reader.expand_prefix(field, prefix):
                text = term.decode() if isinstance(term, bytes) else term
                if len(text) <= len(prefix) + slack and text not in out:
                    out.append(text)
                    if len(out) >= 50:
                        return out
        return out

    def _word(self, word: analysis.WordQuery, positive: bool, scale: float = 1.0) -> wq.Query:
        """One word as an OR of distinct terms, each at the highest weight that names it.

        Distinct matters: Whoosh miscounts an OR holding the same term twice.
        """
        weights: dict[str, float] = {}
        known = False
        for alt in word.alternatives:
            slack = PREFIX_SLACK
            if alt.root:  # budžet ~ budžetski, not zapisnik ~ zapisničar
                slack = max(len(word.fuzzy), analysis.ROOT_REACH) - len(alt.term)
            found = self._near_terms(alt.term, slack) if alt.prefix else [alt.term]
            known = known or (not alt.prefix and self._known(alt.term))
            weight = alt.weight * scale
            for term in found:
                weights[term] = max(weight, weights.get(term, 0.0))
            if positive and not alt.prefix:
                self.title_alts[alt.term] = max(weight, self.title_alts.get(alt.term, 0))
        if not known:  # not in the index as written: a typo? one edit away, lower weight
            fixes = self._corrections(word.fuzzy) if len(self.unknown) < plan.MAX_TYPO_WORDS else []
            for term in fixes:
                weights.setdefault(term, analysis.WEIGHT_FUZZY * scale)
            if positive:
                self.unknown.append(word)
        if positive:
            self.terms.update(weights)
        subs = [wq.Term("content", t, boost=w) for t, w in weights.items()]
        subs += [wq.Term("quoted", t, boost=w * plan.WEIGHT_QUOTED) for t, w in weights.items()]
        return wq.Or(subs) if subs else wq.NullQuery

    def _known(self, term: str) -> bool:
        return any(self.reader.doc_frequency(field, term) > 0 for field in TEXT_FIELDS)

    def _corrections(self, stem: str) -> list[str]:
        """Index terms one edit from ``stem`` (same first letter), cached per index version.

        Whoosh builds a Levenshtein automaton per word in Python (milliseconds), so the
        answer is kept until the index changes.
        """
        if len(stem) < plan.MIN_TYPO_STEM:
            return []
        if stem not in self.cache:
            found = self.reader.terms_within("content", stem, 1, prefix=1)
            self.cache[stem] = sorted(
                found, key=lambda t: -self.reader.doc_frequency("content", t)
            )[: plan.MAX_CORRECTIONS]
        return self.cache[stem]

    def _with_title_bonus(self, required: wq.Query) -> wq.Query:
        if self.excluded:
            required = wq.AndNot(required, wq.Or(self.excluded))
        bonus = [wq.Term("title", t, boost=w) for t, w in self.title_alts.items()]
        bonus += [  # question words: never required, a little score where they are
            wq.Term("content", word.alternatives[0].term, boost=plan.WEIGHT_OPTIONAL)
            for word in self.plan.optional
        ]
        return wq.AndMaybe(required, wq.Or(bonus)) if bonus else required

    def strict(self) -> wq.Query:
        """Every group must match."""
        return self._with_title_bonus(wq.And(self.groups) if self.can_relax else self.groups[0])

    def relaxed(self) -> wq.Query:
        """Any group may match; more matching groups still score higher."""
        return self._with_title_bonus(wq.Or(self.groups))

    def fill(self, strict_total: int) -> tuple[wq.Query, int] | None:
        """The partial-match query and the fewest groups a hit needs (the plan's fill
        policy), or None for no filling."""
        minmatch = self.plan.fill_minmatch(strict_total)
        if minmatch is None or not self.can_relax:
            return None
        return (self.relaxed() if minmatch < len(self.groups) - 1 else self.most()), minmatch

    def most(self) -> wq.Query:
        """All groups but one (``plan.fill_minmatch``): written as an OR of the ANDs that
        each leave one group out, as Whoosh's ``Or(minmatch=)`` is ignored by its default
        matcher."""
        n = len(self.groups)
        leave_one_out = [wq.And(self.groups[:i] + self.groups[i + 1 :]) for i in range(n)]
        return self._with_title_bonus(wq.Or(leave_one_out))

    def filter(self, query: SearchQuery) -> wq.Query | None:
        """The service's filters as one Whoosh query, applied inside the search."""
        parts: list[wq.Query] = []
        for name, ids in (
            ("category_id", query.allowed_category_ids),
            ("category_id", query.category_ids),
            ("thread_id", query.thread_ids),
        ):
            if ids is not None:
                parts.append(
                    wq.Or([wq.Term(name, str(i)) for i in sorted(ids)]) if ids else wq.NullQuery
                )
        if query.author_id is not None:
            parts.append(wq.Term("author_id", str(query.author_id)))
        if query.thread_id is not None:
            parts.append(wq.Term("thread_id", str(query.thread_id)))
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

    def suggestion(self, hits, finds: Callable[[wq.Query], bool]) -> str | None:
        """The query with each unknown word replaced by its likeliest correction.

        The correction is the commonest index term one edit away, spelled as a word that
        carries it in the hits (``sjdnice`` -> ``sjednice``, not the stem ``sednic``).
        Offered when the corrected query finds something with every word: the query as
        typed finds nothing for its unknown words (what it shows are guesses).
        """
        text = self.text
        for word in self.unknown:
            fixes = self._corrections(word.fuzzy)
            surface = fixes and _spelled(word.word, fixes[0], hits)
            if surface:
                text = text.replace(word.word, surface, 1)
        if text == self.text:
            return None
        corrected = QueryBuilder(self.reader, text, self.cache)
        if corrected.unknown or corrected.empty:
            return None
        return text if finds(corrected.strict()) else None


def _span(field: str, terms: tuple[str | None, ...], weight: float) -> wq.Query:
    """A phrase in one field: nested spans with an exact distance per step, so a stop word
    in the phrase must be a word (any word: stop words are not indexed) in the post too."""
    span: wq.Query = wq.Term(field, terms[0], boost=weight)
    distance = 1
    for term in terms[1:]:
        if term is None:
            distance += 1
            continue
        step = wq.Term(field, term, boost=weight)
        span = SpanNear(span, step, slop=distance, mindist=distance)
        distance = 1
    return span


def _distance(a: str, b: str) -> int:
    """Levenshtein distance (short words only)."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


def _spelled(typed: str, term: str, hits) -> str | None:
    """The word in the hits' text analysed to ``term`` that looks most like ``typed``."""
    folded = analysis.fold(analysis.normalize(typed))
    words = set()
    for hit in hits[:5]:
        text = hit.get("excerpt", "")[:SUGGEST_TEXT]
        words.update(
            text[t.start : t.end].lower() for t in analysis.index_tokens(text) if term in t.forms
        )
    if not words:
        return None
    best = min(sorted(words), key=lambda w: _distance(analysis.fold(analysis.normalize(w)), folded))
    if has_cyrillic(typed) != has_cyrillic(best):  # answer in the script the user typed
        return latin_to_cyrillic(best) if has_cyrillic(typed) else cyrillic_to_latin(best)
    return best
