"""``flask --app wsgi board documents …``: drain the extraction queue, purge staged files."""

from __future__ import annotations

import click
from flask.cli import AppGroup

documents_cli = AppGroup("documents", help="Attached documents.")


@documents_cli.command("extract")
@click.option("--limit", type=int, default=None, help="Stop after this many documents.")
def extract(limit: int | None) -> None:
    """Read the text of every document still waiting (safe to run beside the web app)."""
    from board.documents.queue import drain

    def report(document) -> None:
        state = document.extraction_status
        detail = f"{document.page_count} pages" if state == "done" else document.extraction_error
        click.echo(f"{document.id}\t{document.filename}\t{state}\t{detail}")

    count = drain(limit=limit, progress=report)
    click.echo(f"Documents read: {count}.")


@documents_cli.command("purge-staged")
@click.option("--hours", type=float, default=24.0, help="Purge staged uploads older than this.")
def purge_staged(hours: float) -> None:
    """Delete files kept from refused post forms and never posted (e.g. daily, by a timer)."""
    from datetime import timedelta

    from board.documents.staging import purge_staged as purge

    click.echo(f"Staged uploads purged: {purge(timedelta(hours=hours))}.")


@documents_cli.command("check")
@click.option("--fix", is_flag=True, help="Delete the orphan files found.")
@click.option(
    "--min-age",
    type=click.FloatRange(0),
    default=3600.0,
    show_default=True,
    help="Seconds a file must be old to count (younger ones may belong to a running upload).",
)
def check(fix: bool, min_age: float) -> None:
    """List upload files no document or staged upload refers to (exit 1 if any, unless
    --fix removed them), and referenced files that are missing (always exit 1)."""
    from board.documents.orphans import find_orphans, remove_orphans
    from board.documents.storage import get_storage

    report = find_orphans(get_storage(), min_age)
    for path in report.blobs:
        click.echo(f"orphan file: {path}")
    for path in report.temp_files:
        click.echo(f"unfinished upload: {path}")
    for sha in report.missing:
        click.echo(f"missing file: {sha}")
    click.echo(
        f"Orphans: {len(report.blobs)} files, {len(report.temp_files)} unfinished uploads; "
        f"{report.too_new} newer than {min_age:g} s not judged; missing: {len(report.missing)}."
    )
    if fix and report.orphans:
        click.echo(f"Removed {remove_orphans(report)} files.")
    if report.missing or (report.orphans and not fix):
        raise SystemExit(1)
