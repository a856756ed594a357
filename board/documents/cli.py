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
