"""PostgreSQL text-search values for ``postgres_backend``: ``tsvector`` literals written
from the shared analysis, ``tsquery`` text compiled from the query syntax, and snippets.

Everything here is pure (no database), so it is cheap to test; the SQL that uses these
strings is in ``postgres_backend``. Lexemes are already analysed (transliterated, folded,
stemmed) by ``board.search.analysis``, so they are written and cast verbatim: the
``simple`` configuration would only lower-case them again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from markupsafe import escape

from board.search import analysis

MAX_POSITION = 16_383  # PostgreSQL's largest tsvector position
MAX_POSITIONS_PER_LEXEME = 255
MAX_LEXEME = 200  # longer "words" (hashes, base64) are not worth indexing
SNIPPET_WORDS = 30
SNIPPET_SCAN = 20_000  # characters of the body the highlighter reads
_TYPO_ALPHABET = "abcdefghijklmnopqrstuvwxyz"
_LEXEME = re.compile(r"('(?:[^']|'')*')(:\*)?")


def lexeme(term: str) -> str:
    """A quoted tsvector/tsquery lexeme."""
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(title: str, body: str, extra: str = "") -> str:
    """The entry's tsvector: title weighted A, body B, metadata C, positions kept.

    Every form of a word shares the word's position, and each field starts after a gap,
    so a phrase never runs from the title into the body.
    """
    positions: dict[str, list[str]] = {}
    offset = 0
    for text, weight in ((title, "A"), (body, "B"), (extra, "C")):
        end = 0
        for token in analysis.index_tokens(text):
            pos = min(offset + token.pos + 1, MAX_POSITION)
            for form in token.forms:
                if len(form) <= MAX_LEXEME:
                    positions.setdefault(form, []).append(f"{pos}{weight}")
            end = token.pos + 1
        offset = min(offset + end + 1, MAX_POSITION)
    return " ".join(
        f"{lexeme(term)}:{','.join(found[:MAX_POSITIONS_PER_LEXEME])}"
        for term, found in positions.items()
    )


@dataclass
class Clause:
    """One top-level part of a query: ``sql`` is its tsquery; ``word`` when it is a word."""

    sql: str
    negated: bool = False
    word: analysis.WordQuery | None = None


@dataclass
class CompiledQuery:
    """A query as tsquery text (all clauses, or any positive one), and what to highlight."""

    clauses: list[Clause]
    terms: set[str] = field(default_factory=set)
    prefixes: set[str] = field(default_factory=set)

    @property
    def strict(self) -> str:
        """Every clause must hold."""
        return " & ".join(_part(c) for c in self.clauses)

    @property
    def relaxed(self) -> str | None:
        """Any positive clause, the negated ones still excluding; None if nothing to relax."""
        positive = [c for c in self.clauses if not c.negated]
        if len(positive) < 2:
            return None
        anyone = "(" + " | ".join(c.sql for c in positive) + ")"
        return " & ".join([anyone, *(_part(c) for c in self.clauses if c.negated)])

    def title_query(self, relaxed: bool) -> str:
        """The positive clauses again, each lexeme restricted to the title (weight A)."""
        positive = [c.sql for c in self.clauses if not c.negated]
        joined = (" | " if relaxed else " & ").join(positive)
        return _LEXEME.sub(lambda m: f"{m.group(1)}:{'*' if m.group(2) else ''}A", joined)

    def with_typos(self, missing: Iterable[str]) -> CompiledQuery:
        """The same query with each missing word also matching one-edit variants of it."""
        missing = set(missing)
        clauses = []
        for clause in self.clauses:
            if clause.word is not None and clause.word.word in missing:
                edits = sorted(one_edit(clause.word.fuzzy))
                sql = "(" + " | ".join([clause.sql, *map(lexeme, edits)]) + ")"
                clause = replace(clause, sql=sql)
                self.terms.update(edits)
            clauses.append(clause)
        return CompiledQuery(clauses, self.terms, self.prefixes)

    def positive_words(self) -> list[analysis.WordQuery]:
        """Plain words that must match (candidates for the typo fallback)."""
        return [c.word for c in self.clauses if c.word is not None and not c.negated]

    def snippet(self, body: str) -> str:
        """About ``SNIPPET_WORDS`` words around the densest matches, only ``<mark>`` markup."""
        return highlight(body[:SNIPPET_SCAN], self.terms, tuple(self.prefixes))


def _part(clause: Clause) -> str:
    return f"!{clause.sql}" if clause.negated else clause.sql


def one_edit(term: str) -> set[str]:
    """Every string one deletion, transposition, substitution or insertion away."""
    splits = [(term[:i], term[i:]) for i in range(len(term) + 1)]
    edits = {a + b[1:] for a, b in splits if b}
    edits |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    edits |= {a + c + b[1:] for a, b in splits if b for c in _TYPO_ALPHABET}
    edits |= {a + c + b for a, b in splits for c in _TYPO_ALPHABET}
    edits.discard(term)
    return {e for e in edits if len(e) >= 3}


# Compiling ------------------------------------------------------------------------------


def word_tsquery(wq: analysis.WordQuery) -> str:
    """Any alternative of one analysed query word."""
    parts = [f"{lexeme(a.term)}:*" if a.prefix else lexeme(a.term) for a in wq.alternatives]
    return "(" + " | ".join(parts) + ")"


def word_clause(word: str, negated: bool, query: CompiledQuery) -> Clause | None:
    """Any alternative of one word (stems, folds, a stem prefix, lexical variants)."""
    wq = analysis.word_query(word)
    if wq is None:
        return None
    if not negated:
        for alt in wq.alternatives:
            (query.prefixes if alt.prefix else query.terms).add(alt.term)
    return Clause(word_tsquery(wq), negated, wq)


def phrase_clause(text: str, negated: bool, query: CompiledQuery) -> Clause | None:
    """Words in this order; a stop word in the phrase leaves a one-position gap."""
    terms = analysis.phrase_terms(text)
    if not terms:
        return None
    out = lexeme(terms[0])
    distance = 1
    for term in terms[1:]:
        if term is None:
            distance += 1
            continue
        out += (" <-> " if distance == 1 else f" <{distance}> ") + lexeme(term)
        distance = 1
    if not negated:
        query.terms.update(t for t in terms if t)
    return Clause(f"({out})", negated)


def prefix_clause(prefix: str, negated: bool, query: CompiledQuery) -> Clause | None:
    """Terms starting with the prefix's folded forms."""
    forms = analysis.prefix_forms(prefix)
    if not forms:
        return None
    if not negated:
        query.prefixes.update(forms)
    return Clause("(" + " | ".join(f"{lexeme(f)}:*" for f in forms) + ")", negated)


def or_clause(parts: list[Clause]) -> Clause | None:
    """Either of several positive parts."""
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]
    return Clause("(" + " | ".join(p.sql for p in parts) + ")")


# Snippets -------------------------------------------------------------------------------


def highlight(text: str, terms: set[str], prefixes: tuple[str, ...]) -> str:
    """Escape ``text`` and wrap the words whose analysed forms match in ``<mark>``."""
    tokens = list(analysis.index_tokens(text))
    hits = [
        i
        for i, token in enumerate(tokens)
        if any(f in terms or f.startswith(prefixes) for f in token.forms)
    ]
    if not tokens:
        return str(escape(text[:240]))
    start = _best_window(hits, len(tokens))
    window = tokens[start : start + SNIPPET_WORDS]
    marked = {tokens[i].start for i in hits}
    begin = 0 if start == 0 else window[0].start
    end = len(text) if start + SNIPPET_WORDS >= len(tokens) else window[-1].end
    out = ["…" if begin else ""]
    cursor = begin
    for token in window:
        if token.start in marked:
            out.append(str(escape(text[cursor : token.start])))
            out.append(f"<mark>{escape(text[token.start : token.end])}</mark>")
            cursor = token.end
    out.append(str(escape(text[cursor:end])))
    out.append("…" if end < len(text) else "")
    return "".join(out)


def _best_window(hits: list[int], count: int) -> int:
    """First token of the ``SNIPPET_WORDS`` window holding the most hits (a little lead-in)."""
    if not hits:
        return 0
    best, best_start = 0, hits[0]
    right = 0
    for left, first in enumerate(hits):
        while right < len(hits) and hits[right] < first + SNIPPET_WORDS:
            right += 1
        if right - left > best:
            best, best_start = right - left, first
    return max(0, min(best_start - 3, count - SNIPPET_WORDS))


# Interim parser until board.search.syntax lands -------------------------------------------

_TOKEN = re.compile(r'(-?)"([^"]*)"|(\S+)')


def compile_query(text: str) -> CompiledQuery | None:
    """The tsquery of a search box string, or None when nothing in it can match."""
    query = CompiledQuery([])
    pending_or: list[Clause] = []
    or_next = False
    for match in _TOKEN.finditer(text):
        negated, phrase, word = bool(match.group(1)), match.group(2), match.group(3)
        if word == "OR":
            or_next = bool(pending_or)
            continue
        if phrase is not None:
            clause = phrase_clause(phrase, negated, query)
        else:
            negated = word.startswith("-") and len(word) > 1
            word = word.lstrip("-")
            parts = [m.group(0) for m in analysis.words(word)]
            if word.endswith("*") and len(parts) == 1:
                clause = prefix_clause(parts[0], negated, query)
            elif len(parts) == 1:
                clause = word_clause(parts[0], negated, query)
            else:
                clause = phrase_clause(word, negated, query)
        if clause is None:
            continue
        if or_next and not clause.negated:
            pending_or[-1] = or_clause([pending_or[-1], clause])
        else:
            pending_or.append(clause)
        or_next = False
    query.clauses = pending_or
    if not [c for c in query.clauses if not c.negated]:
        return None
    return query
