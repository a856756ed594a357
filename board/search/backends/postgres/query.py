"""PostgreSQL text-search values: ``tsvector`` literals written from the shared analysis,
``tsquery`` text rendered from the shared query plan (``board.search.plan``), snippets.

Everything here is pure (no database), so it is cheap to test; the SQL that uses these
strings is in the package's ``__init__``. The plan (``plan``), analysis (``analysis``)
and snippets (``highlight``) are shared with the Whoosh backend. Lexemes are already analysed (transliterated, folded,
stemmed) by ``board.search.analysis``, so they are written and cast verbatim: the
``simple`` configuration would only lower-case them again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from board.search import analysis, highlight, plan

MAX_POSITION = 16_383  # PostgreSQL's largest tsvector position
MAX_POSITIONS_PER_LEXEME = 255
MAX_LEXEME = 200  # longer "words" (hashes, base64) are not worth indexing
_TYPO_ALPHABET = "abcdefghijklmnopqrstuvwxyz"
_LEXEME = re.compile(r"('(?:[^']|'')*')(:\*)?")


def lexeme(term: str) -> str:
    """A quoted tsvector/tsquery lexeme."""
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(title: str, body: str, extra: str = "", quoted: str = "") -> str:
    """The entry's tsvector: title weighted A, body B, metadata C, quoted words D,
    positions kept.

    Every form of a word shares the word's position, and each field starts after a gap,
    so a phrase never runs from the title into the body.
    """
    positions: dict[str, list[str]] = {}
    offset = 0
    for text, weight in ((title, "A"), (body, "B"), (extra, "C"), (quoted, "D")):
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
    plan: plan.Plan = field(default_factory=lambda: plan.Plan("", ()))

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

    @property
    def optional(self) -> str | None:
        """Any of the plan's question words (a score bonus), or None."""
        words = [word_tsquery(w) for w in self.plan.optional]
        return " | ".join(words) if words else None

    def positive_sql(self) -> list[str]:
        """The tsquery of each positive clause (for counting how many a row matches)."""
        return [c.sql for c in self.clauses if not c.negated]

    def fill_minmatch(self, strict_total: int) -> int | None:
        """Fewest clauses a partial match needs: the plan's fill policy."""
        return self.plan.fill_minmatch(strict_total)

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
        return CompiledQuery(clauses, self.terms, self.prefixes, self.plan)

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


def word_clause(wq: analysis.WordQuery, negated: bool, query: CompiledQuery) -> Clause:
    """Any alternative of one word (stems, folds, a stem prefix, lexical variants)."""
    if not negated:
        for alt in wq.alternatives:
            (query.prefixes if alt.prefix else query.terms).add(alt.term)
    return Clause(word_tsquery(wq), negated, wq)


def phrase_clause(terms: tuple[str | None, ...], negated: bool, query: CompiledQuery) -> Clause:
    """Words in this order; a stop word in the phrase leaves a one-position gap."""
    out = lexeme(terms[0] or "")
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


def prefix_clause(forms: tuple[str, ...], negated: bool, query: CompiledQuery) -> Clause:
    """Terms starting with the prefix's folded forms."""
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


def _piece_clause(piece: plan.Piece, negated: bool, query: CompiledQuery) -> Clause:
    if isinstance(piece, plan.Word):
        return word_clause(piece.query, negated, query)
    if isinstance(piece, plan.Phrase):
        return phrase_clause(piece.terms, negated, query)
    return prefix_clause(piece.forms, negated, query)


def option_clause(option: plan.Option, negated: bool, query: CompiledQuery) -> Clause:
    """Every piece of one option (``e-mail``, ``3.5``: each piece with its alternatives)."""
    pieces = [_piece_clause(piece, negated, query) for piece in option.pieces]
    if len(pieces) == 1:
        return pieces[0]
    return Clause("(" + " & ".join(c.sql for c in pieces) + ")", negated)


def compile_plan(query_plan: plan.Plan) -> CompiledQuery | None:
    """The plan as tsquery text, or None when nothing in it can match."""
    if query_plan.empty:
        return None
    query = CompiledQuery([], plan=query_plan)
    for group in query_plan.groups:
        clause = or_clause([option_clause(o, False, query) for o in group.options])
        if clause is not None:
            query.clauses.append(clause)
    query.clauses.extend(option_clause(o, True, query) for o in query_plan.excluded)
    return query


def compile_query(text: str) -> CompiledQuery | None:
    """The tsquery of a search box string, or None when nothing in it can match."""
    return compile_plan(plan.build(text))
