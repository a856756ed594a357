"""``flask --app wsgi board …``: seeding, users, associations, categories.

Messages follow the catalogues in the language of the admin's shell (``LANG``), see
``board.i18n.select_locale``.

The commands that change accounts, associations and categories call the admin use cases,
so they leave the same audit lines as the admin pages (with no actor: the command line).
"""

from __future__ import annotations

import secrets
import shutil
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from flask_babel import gettext as _
from sqlalchemy import select

from board.extensions import db
from board.models import Association, Category, User

board_cli = AppGroup("board", help="Mreža administration commands.")

FOUNDING_CATEGORIES = (
    ("regulation", "Regulativa", "Zakoni, statuti, pravila i odluke o radu mjesnih zajednica."),
    ("planning", "Planiranje", "Planovi rada, prioriteti i budžetiranje u mjesnim zajednicama."),
    ("reporting", "Izvještavanje", "Izvještaji o radu, zapisnici i polaganje računa građanima."),
    ("participation", "Učešće građana", "Zborovi građana, javne rasprave i uključivanje građana."),
)


def seed_categories() -> int:
    """Create the founding categories that are missing; returns how many were created."""
    existing = set(db.session.scalars(select(Category.slug)))
    created = 0
    for position, (slug, name, description) in enumerate(FOUNDING_CATEGORIES):
        if slug not in existing:
            db.session.add(
                Category(slug=slug, name=name, description=description, position=position)
            )
            created += 1
    db.session.commit()
    return created


@board_cli.command("seed")
def seed() -> None:
    """Create the four founding categories (safe to run again)."""
    created = seed_categories()
    click.echo(
        _(
            "Founding categories: %(created)d created, %(existing)d already there.",
            created=created,
            existing=len(FOUNDING_CATEGORIES) - created,
        )
    )


@board_cli.command("first-admin")
@click.option("--email", default="admin@mreza.local", show_default=True)
def first_admin(email: str) -> None:
    """Create an admin with a one-time password if the board has no admin yet."""
    from board.auth.service import create_user

    if db.session.scalar(select(User.id).where(User.is_admin).limit(1)) is not None:
        click.echo(_("An admin account exists already; log in with it (or reset its password)."))
        return
    password = secrets.token_urlsafe(12)
    user = create_user(email, "Administrator", password, confirmed=True)
    user.is_admin = True
    db.session.commit()
    click.echo(
        _(
            "Admin created. Log in at %(url)s as %(email)s with password: %(password)s",
            url="http://127.0.0.1:5000/login",
            email=email,
            password=password,
        )
    )
    click.echo(_("Change this password after logging in (Settings → reset password)."))


@board_cli.group("users")
def users() -> None:
    """Manage accounts."""


@users.command("create")
@click.argument("email")
@click.option("--name", required=True, help="Display name.")
@click.option("--password", required=True)
@click.option("--role", type=click.Choice(["member", "moderator", "admin"]), default="member")
@click.option("--association", "association_slug", help="Association slug (moderators, members).")
@click.option("--handle", default=None, help="The @handle (derived from the name when omitted).")
def create_user_command(
    email: str,
    name: str,
    password: str,
    role: str,
    association_slug: str | None,
    handle: str | None = None,
) -> None:
    """Create a confirmed account."""
    from board.admin.service import create_account
    from board.auth.passwords import MIN_LENGTH
    from board.auth.service import find_user_by_email

    if find_user_by_email(email) is not None:
        raise click.ClickException(_("A user with e-mail %(email)s exists already.", email=email))
    if len(password) < MIN_LENGTH:
        raise click.ClickException(
            _("The password must have at least %(min)d characters.", min=MIN_LENGTH)
        )
    association = _association(association_slug) if association_slug else None
    if role == "moderator" and association is None:
        raise click.ClickException(_("A moderator needs --association SLUG."))
    if handle is not None:
        from board.notifications.handles import HandleError, check_handle

        try:
            handle = check_handle(None, handle)
        except HandleError as error:
            raise click.ClickException(str(error)) from None
    user = create_account(
        None,
        email,
        name,
        password,
        is_admin=role == "admin",
        association=association,
        moderator=role == "moderator",
        handle=handle,
    )
    click.echo(
        _(
            "Created account %(email)s (id %(id)d, role %(role)s).",
            email=user.email,
            id=user.id,
            role=role,
        )
        + f" @{user.handle}"
    )


@board_cli.group("associations")
def associations() -> None:
    """Manage member associations."""


@associations.command("create")
@click.argument("slug")
@click.option("--name", required=True)
def create_association(slug: str, name: str) -> None:
    """Create an association."""
    from board.admin.service import create_association as create

    if db.session.scalar(select(Association).where(Association.slug == slug)) is not None:
        raise click.ClickException(_("Association %(slug)s exists already.", slug=slug))
    create(None, slug, name, "")
    click.echo(_("Created association %(slug)s.", slug=slug))


@board_cli.group("categories")
def categories() -> None:
    """Manage categories."""


@categories.command("assign")
@click.argument("category_slug")
@click.option("--association", "association_slug", required=True)
def assign_category(category_slug: str, association_slug: str) -> None:
    """Give a category to an association, whose moderators then keep it."""
    from board.admin.service import update_category

    category = db.session.scalar(select(Category).where(Category.slug == category_slug))
    if category is None:
        raise click.ClickException(_("No category %(slug)s.", slug=category_slug))
    update_category(None, category, _association(association_slug))
    click.echo(
        _(
            "Category %(category)s now belongs to %(association)s.",
            category=category_slug,
            association=association_slug,
        )
    )


def _association(slug: str) -> Association:
    association = db.session.scalar(select(Association).where(Association.slug == slug))
    if association is None:
        raise click.ClickException(_("No association %(slug)s.", slug=slug))
    return association


@board_cli.command("backup")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def backup_command(directory: Path) -> None:
    """Copy the database, uploads and secret key into DIRECTORY (safe while serving).

    Exit status 0 when written, 1 when not (the message says why and what to do).
    """
    from board.backup import BackupError, backup

    try:
        manifest = backup(current_app._get_current_object(), directory)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    uploads = sum(1 for name in manifest.files if name.startswith("uploads/"))
    click.echo(
        f"Backup written to {directory}: {manifest.database} database, {uploads} uploaded "
        f"files, manifest with sha256 checksums."
    )
    if manifest.missing_uploads:
        click.echo(
            f"Warning: {len(manifest.missing_uploads)} referenced file(s) were deleted while "
            "the backup ran; see missing_uploads in the manifest."
        )


@board_cli.command("restore")
@click.argument("directory", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite an instance that already holds data.")
@click.pass_context
def restore_command(ctx: click.Context, directory: Path, force: bool) -> None:
    """Restore a backup made by `board backup` (stop the web server first), then rebuild
    the search index.

    Exit status 0 when restored, 1 when the backup is damaged or cannot be restored
    (nothing was changed), 3 when the instance holds data and --force was not given.
    """
    from board.backup import BackupError, RestoreRefusedError, restore
    from board.search.cli import reindex

    app = current_app._get_current_object()
    try:
        manifest = restore(app, directory, force=force)
    except RestoreRefusedError as error:
        click.echo(f"Error: {error}", err=True)
        ctx.exit(3)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    app.extensions["board_search"].close()
    if app.config.get("SEARCH_BACKEND", "whoosh") == "whoosh":
        shutil.rmtree(app.config["SEARCH_INDEX_PATH"], ignore_errors=True)
    click.echo(f"Restored the backup of {manifest.created_at}; rebuilding the search index.")
    ctx.invoke(reindex, clear=True, batch_size=500)


def register(app: Flask) -> None:
    """Attach the command groups; other packages add theirs to ``board_cli``."""
    from board.documents.cli import documents_cli
    from board.notifications.cli import mail_cli
    from board.places.cli import places_cli
    from board.search.cli import search_cli

    board_cli.add_command(search_cli)
    board_cli.add_command(documents_cli)
    board_cli.add_command(places_cli)
    board_cli.add_command(mail_cli)
    app.cli.add_command(board_cli)
