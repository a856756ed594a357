"""Which text-search configuration the PostgreSQL backend should use, measured on the dev set.

    .venv/bin/python -m bench.search_pg_configs postgresql://postgres@127.0.0.1:5432/scratch

Compares, on ``../shared/search/dev-set.json`` (every post indexed, no filters, top 5):

- ``analysis``: the tsvector and tsquery ``postgres_backend`` writes (shared BCS
  analysis and syntax), every word then any word (without the backend's partial-match
  fill and typo corrections, so the three differ only in analysis);
- ``serbian``: PostgreSQL's built-in ``serbian`` configuration (the same Snowball
  algorithm), every word required, then any word when nothing has them all;
- ``serbian+unaccent``: the same over unaccented text, so ``ucesce`` meets ``učešće``.

The database is used only for scratch tables (``pgcfg_*``), dropped at the end.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, text

from board.config import _normalise_url
from board.search.backends.postgres.query import compile_query, tsvector_literal

DEV_SET = Path(__file__).resolve().parent.parent.parent / "shared" / "search" / "dev-set.json"
NOW = datetime(2025, 1, 1, tzinfo=UTC)


def ranked_analysis(conn, q: str) -> list[str]:
    compiled = compile_query(q)
    if compiled is None:
        return []
    for tsquery in (compiled.strict, compiled.relaxed):
        if tsquery is None:
            continue
        rows = conn.execute(
            text(
                "SELECT key FROM pgcfg_analysis, CAST(:q AS tsquery) q WHERE terms @@ q "
                "ORDER BY ts_rank_cd(terms, q) DESC LIMIT 5"
            ),
            {"q": tsquery},
        ).scalars()
        found = list(rows)
        if found:
            return found
    return []


def ranked_builtin(conn, q: str, config: str, unaccent: bool) -> list[str]:
    """plainto_tsquery (AND), then the same lexemes OR'd."""
    source = "unaccent(:q)" if unaccent else ":q"
    strict = f"plainto_tsquery('{config}', {source})"
    relaxed = f"CAST(replace(CAST({strict} AS text), ' & ', ' | ') AS tsquery)"
    for query in (strict, relaxed):
        rows = conn.execute(
            text(
                f"SELECT key FROM pgcfg_builtin, {query} q "  # noqa: S608 (fixed SQL)
                "WHERE terms @@ q ORDER BY ts_rank_cd(terms, q) DESC LIMIT 5"
            ),
            {"q": q},
        ).scalars()
        found = list(rows)
        if found:
            return found
    return []


def score(name: str, queries: list[dict], run) -> None:
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    passed = 0
    reciprocal = 0.0
    for item in queries:
        got = run(item["q"])
        ok = all(key in got for key in item["relevant"])
        ranks = [got.index(key) + 1 for key in item["relevant"] if key in got]
        reciprocal += 1 / min(ranks) if ranks else 0.0
        passed += ok
        per[item["phenomenon"].split(":")[0]][0] += ok
        per[item["phenomenon"].split(":")[0]][1] += 1
    n = len(queries)
    parts = ", ".join(f"{k} {a}/{c}" for k, (a, c) in sorted(per.items()))
    print(f"{name:18} pass@5 {passed / n:.2f} ({passed}/{n})  MRR {reciprocal / n:.2f}  [{parts}]")


def main() -> None:
    engine = create_engine(_normalise_url(sys.argv[1]))
    data = json.loads(DEV_SET.read_text(encoding="utf-8"))
    with engine.begin() as conn:
        conn.execute(text("CREATE EXTENSION IF NOT EXISTS unaccent"))
        conn.execute(text("DROP TABLE IF EXISTS pgcfg_analysis, pgcfg_builtin"))
        conn.execute(text("CREATE TABLE pgcfg_analysis (key text, terms tsvector)"))
        conn.execute(
            text("CREATE TABLE pgcfg_builtin (key text, title text, body text, terms tsvector)")
        )
        for post in data["posts"]:
            conn.execute(
                text("INSERT INTO pgcfg_analysis VALUES (:key, CAST(:terms AS tsvector))"),
                {"key": post["key"], "terms": tsvector_literal(post["title"], post["body"])},
            )
            conn.execute(
                text("INSERT INTO pgcfg_builtin (key, title, body) VALUES (:key, :title, :body)"),
                post,
            )
    queries = data["queries"]
    with engine.begin() as conn:
        score("analysis", queries, lambda q: ranked_analysis(conn, q))
        for unaccent in (False, True):
            title = "unaccent(title)" if unaccent else "title"
            body = "unaccent(body)" if unaccent else "body"
            conn.execute(
                text(
                    f"UPDATE pgcfg_builtin SET terms = "  # noqa: S608 (fixed SQL)
                    f"setweight(to_tsvector('serbian', {title}), 'A') || "
                    f"setweight(to_tsvector('serbian', {body}), 'B')"
                )
            )
            name = "serbian+unaccent" if unaccent else "serbian"
            score(name, queries, lambda q, u=unaccent: ranked_builtin(conn, q, "serbian", u))
        conn.execute(text("DROP TABLE pgcfg_analysis, pgcfg_builtin"))


if __name__ == "__main__":
    main()
