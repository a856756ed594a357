"""PostgreSQL text-search values for ``postgres_backend``: ``tsvector`` literals written
from the shared analysis, ``tsquery`` text compiled from the query syntax, and snippets.

Everything here is pure (no database), so it is cheap to test; the SQL that uses these
strings is in ``postgres_backend``. Query syntax (``syntax``), analysis (``analysis``)
and snippets (``highlight``) are shared with the Whoosh backend. Lexemes are already analysed (transliterated, folded,
stemmed) by ``board.search.analysis``, so they are written and cast verbatim: the
``simple`` configuration would only lower-case them again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from board.search import analysis, highlight, syntax

MAX_POSITION = 16_383  # PostgreSQL's largest tsvector position
MAX_POSITIONS_PER_LEXEME = 255
MAX_LEXEME = 200  # longer "words" (hashes, base64) are not worth indexing
MAX_FILL_CLAUSES = 8  # longer queries are not filled with partial matches
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

    def positive_sql(self) -> list[str]:
        """The tsquery of each positive clause (for counting how many a row matches)."""
        return [c.sql for c in self.clauses if not c.negated]

    def fill_minmatch(self, strict_total: int) -> int | None:
        """Fewest clauses a partial match needs: any when nothing had all (2+ clauses);
        all but one when a few had all (3 to ``MAX_FILL_CLAUSES``); else no filling.
        The same reading as the Whoosh backend's."""
        n = len(self.positive_sql())
        if strict_total == 0:
            return 1 if n >= 2 else None
        return n - 1 if 3 <= n <= MAX_FILL_CLAUSES else None

    def with_corrections(self, fixes: dict[str, list[str]]) -> CompiledQuery:
        """The same query with each unknown word also matching its indexed near-misses."""
        clauses = []
        for clause in self.clauses:
            if clause.word is not None and clause.word.word in fixes:
                terms = fixes[clause.word.word]
                sql = "(" + " | ".join([clause.sql, *map(lexeme, terms)]) + ")"
                clause = replace(clause, sql=sql)
                self.terms.update(terms)
            clauses.append(clause)
        return CompiledQuery(clauses, self.terms, self.prefixes)

    def positive_words(self) -> list[analysis.WordQuery]:
        """Plain words that must match (candidates for the typo fallback)."""
        return [c.word for c in self.clauses if c.word is not None and not c.negated]

    def snippet(self, body: str) -> str:
        """The shared highlighter's window of ``body``: only ``<mark>`` is markup."""
        return highlight.snippet(body, self.terms, self.prefixes)


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


def _item_clause(item: syntax.Item, negated: bool, query: CompiledQuery) -> Clause | None:
    if item.kind == "phrase":
        return phrase_clause(item.text, negated, query)
    parts = [m.group(0) for m in analysis.words(item.text)]
    if item.kind == "prefix" and len(parts) == 1:
        return prefix_clause(parts[0], negated, query)
    if len(parts) == 1:
        return word_clause(parts[0], negated, query)
    # "e-mail", "3.5": every piece, each with its alternatives
    pieces = [c for part in parts if (c := word_clause(part, negated, query)) is not None]
    if not pieces:
        return None
    joined = " & ".join(c.sql for c in pieces)
    return Clause(f"({joined})" if len(pieces) > 1 else joined, negated, None)


def compile_query(text: str) -> CompiledQuery | None:
    """The tsquery of a search box string, or None when nothing in it can match."""
    parsed = syntax.parse(text)
    query = CompiledQuery([])
    for group in parsed.groups:
        clause = or_clause([c for item in group if (c := _item_clause(item, False, query))])
        if clause is not None:
            query.clauses.append(clause)
    if not query.clauses:
        return None
    for item in parsed.excluded:
        clause = _item_clause(item, True, query)
        if clause is not None:
            query.clauses.append(clause)
    return query
