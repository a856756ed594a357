"""``flask board places …``: load the map, add local communities one by one or in bulk."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from board.places import service

places_cli = AppGroup("places", help="The map of municipalities and local communities.")


@places_cli.command("load")
def load() -> None:
    """Create or update entities, cantons and municipalities from the data file."""
    report = service.load_map()
    click.echo(
        f"Places: {report.created} created, {report.updated} updated; "
        f"{report.matched} member profiles matched to a municipality."
    )


@places_cli.command("add-mz")
@click.argument("municipality_slug")
@click.argument("name")
def add_mz(municipality_slug: str, name: str) -> None:
    """Add a confirmed local community (MZ) to a municipality."""
    municipality = service.municipality_by_slug(municipality_slug)
    if municipality is None:
        raise click.ClickException(
            f"No municipality {municipality_slug!r} (run `flask board places load` first?)."
        )
    try:
        mz = service.add_mz(municipality, name)
    except service.MzError as error:
        reason = {"exists": "it exists already", "too_long": "the name is too long"}
        raise click.ClickException(
            f"Not added: {reason.get(str(error), 'the name is blank')}."
        ) from None
    click.echo(f"Added MZ {mz.name} in {municipality.name}.")


@places_cli.command("import-mz")
@click.argument("file", type=click.File("r", encoding="utf-8-sig"))
def import_mz(file) -> None:
    """Add MZs from a CSV file of ``municipality_slug,name`` lines, reporting each line."""
    report = service.import_mz(file.read())
    for line in report:
        click.echo(f"line {line.line}: {line.outcome}: {line.message}")
    counts = {k: sum(1 for x in report if x.outcome == k) for k in ("added", "skipped", "refused")}
    click.echo(
        f"{counts['added']} added, {counts['skipped']} skipped, {counts['refused']} refused."
    )
