"""``flask --app wsgi board …``: seeding, users, associations, categories."""

from __future__ import annotations

import secrets

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import select

from board.extensions import db
from board.models import Association, Category, Membership, User

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
        f"Founding categories: {created} created, {len(FOUNDING_CATEGORIES) - created} already there."
    )


@board_cli.command("first-admin")
@click.option("--email", default="admin@mreza.local", show_default=True)
def first_admin(email: str) -> None:
    """Create an admin with a one-time password if the board has no admin yet."""
    from board.auth.service import create_user

    if db.session.scalar(select(User.id).where(User.is_admin).limit(1)) is not None:
        click.echo("An admin account exists already; log in with it (or reset its password).")
        return
    password = secrets.token_urlsafe(12)
    user = create_user(email, "Administrator", password, confirmed=True)
    user.is_admin = True
    db.session.commit()
    click.echo(
        f"Admin created. Log in at http://127.0.0.1:5000/login as {email} with password: {password}"
    )
    click.echo("Change this password after logging in (Settings → reset password).")


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
    """Create a confirmed account."""  # fmt: skip
    from board.auth.passwords import MIN_LENGTH
    from board.auth.service import create_user, find_user_by_email

    if find_user_by_email(email) is not None:
        raise click.ClickException(f"A user with e-mail {email} exists already.")
    if len(password) < MIN_LENGTH:
        raise click.ClickException(f"The password must have at least {MIN_LENGTH} characters.")
    association = _association(association_slug) if association_slug else None
    if role == "moderator" and association is None:
        raise click.ClickException("A moderator needs --association SLUG.")
    if handle is not None:
        from flask_babel import force_locale

        from board.notifications.handles import HandleError, check_handle

        with force_locale("en"):
            try:
                handle = check_handle(None, handle)
            except HandleError as error:
                raise click.ClickException(str(error)) from None
    user = create_user(
        email, name, password, confirmed=True, **({"handle": handle} if handle else {})
    )
    user.is_admin = role == "admin"
    if association is not None:
        db.session.add(
            Membership(user=user, association=association, is_moderator=role == "moderator")
        )
    db.session.commit()
    click.echo(f"Created {role} {user.email} (id {user.id}, @{user.handle}).")


@board_cli.group("associations")
def associations() -> None:
    """Manage member associations."""


@associations.command("create")
@click.argument("slug")
@click.option("--name", required=True)
def create_association(slug: str, name: str) -> None:
    """Create an association."""
    if db.session.scalar(select(Association).where(Association.slug == slug)) is not None:
        raise click.ClickException(f"Association {slug} exists already.")
    db.session.add(Association(slug=slug, name=name))
    db.session.commit()
    click.echo(f"Created association {slug}.")


@board_cli.group("categories")
def categories() -> None:
    """Manage categories."""


@categories.command("assign")
@click.argument("category_slug")
@click.option("--association", "association_slug", required=True)
def assign_category(category_slug: str, association_slug: str) -> None:
    """Give a category to an association, whose moderators then keep it."""
    category = db.session.scalar(select(Category).where(Category.slug == category_slug))
    if category is None:
        raise click.ClickException(f"No category {category_slug}.")
    category.association = _association(association_slug)
    db.session.commit()
    click.echo(f"Category {category_slug} now belongs to {association_slug}.")


def _association(slug: str) -> Association:
    association = db.session.scalar(select(Association).where(Association.slug == slug))
    if association is None:
        raise click.ClickException(f"No association {slug}.")
    return association


def register(app: Flask) -> None:
    """Attach the command groups; other packages add theirs to ``board_cli``."""
    from board.documents.cli import documents_cli
    from board.notifications.cli import mail_cli
    from board.search.cli import search_cli

    board_cli.add_command(search_cli)
    board_cli.add_command(documents_cli)
    board_cli.add_command(mail_cli)
    app.cli.add_command(board_cli)
