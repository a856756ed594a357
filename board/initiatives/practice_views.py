"""Good-practice pages: mark and unmark (moderators), the collection, its feed, the tags."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from board.extensions import db
from board.feeds.atom import CONTENT_TYPE, Entry, Feed
from board.forms import ConfirmForm
from board.forum.loaders import load_thread_or_404
from board.incoming import arg_int
from board.initiatives import bp, practices
from board.initiatives.forms import PracticeForm, PracticeTagsForm
from board.initiatives.practices import PracticeFilter
from board.models import Category, Municipality
from board.models.base import utcnow
from board.models.initiatives import Practice
from board.permissions import can_edit_practice_tags, can_mark_practice, require
from board.search.service import readable_categories
from board.urls import external_url


@bp.route("/t/<int:thread_id>/practice", methods=["GET", "POST"])
@login_required
def mark(thread_id: int):
    thread = load_thread_or_404(thread_id)
    require(can_mark_practice(current_user, thread))
    current = db.session.scalar(select(Practice).where(Practice.thread_id == thread.id))
    form = PracticeForm()
    form.tags.choices = [(tag, tag) for tag in practices.tags_for(thread.category)]
    if request.method == "GET":
        if current is not None:
            form.summary.data, form.tags.data = current.summary, current.tag_list
        return render_template("initiatives/practice.html", form=form, thread=thread)
    if not form.validate_on_submit():
        return render_template("initiatives/practice.html", form=form, thread=thread), 400
    practices.mark_practice(current_user, thread, form.summary.data, form.tags.data or [])
    flash(_("The thread is in the good-practice collection."), "success")
    return redirect(thread.url)


@bp.post("/t/<int:thread_id>/unpractice")
@login_required
def unmark(thread_id: int):
    thread = load_thread_or_404(thread_id)
    require(can_mark_practice(current_user, thread))
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if practices.unmark_practice(current_user, thread):
        flash(_("The thread is no longer in the good-practice collection."), "info")
    return redirect(thread.url)


def _filters() -> tuple[PracticeFilter, dict[str, str]]:
    errors = {}
    category_id = place_id = None
    slug, place, tag = (request.args.get(k, "").strip() for k in ("category", "place", "tag"))
    if slug:
        category = next((c for c in readable_categories(current_user) if c.slug == slug), None)
        if category is None:
            errors["category"] = _("There is no category %(slug)s.", slug=slug)
        else:
            category_id = category.id
    if place:
        place_id = db.session.scalar(select(Municipality.id).where(Municipality.slug == place))
        if place_id is None:
            errors["place"] = _("There is no place %(slug)s.", slug=place)
    return PracticeFilter(category_id, tag[:60], place_id), errors


@bp.get("/practices")
def practices_index():
    filters, errors = _filters()
    page = None
    if not errors:
        page = db.paginate(
            practices.listing(current_user, filters),
            page=max(1, arg_int("page", 1, maximum=100_000)),
            per_page=20,
            error_out=False,
        )
    return render_template(
        "initiatives/practices.html",
        page=page,
        errors=errors,
        documents=practices.documents_of(page.items) if page else {},
        categories=readable_categories(current_user),
        tags=sorted({tag for p in (page.items if page else []) for tag in p.tag_list}),
    ), (400 if errors else 200)


@bp.get("/practices/feed.atom")
def feed():
    """The newest good practice the requester may read, as an Atom feed."""
    items = db.session.scalars(practices.listing(current_user, PracticeFilter()).limit(30)).all()
    entries = []
    for practice in items:
        url = external_url("forum.thread", thread_id=practice.thread_id)
        entries.append(
            Entry(
                id=f"{url}#practice",
                title=practice.thread.title,
                link=url,
                author=practice.thread.author.display_name,
                published=practice.created_at,
                updated=practice.created_at,
                content=str(_escape_paragraph(practice.summary)),
                category=(practice.thread.category.slug, practice.thread.category.name),
            )
        )
    feed = Feed(
        title=_("Mreža: good practice"),
        self_url=external_url("initiatives.feed"),
        alternate=external_url("initiatives.practices_index"),
        base=external_url("forum.index"),
        lang=str(get_locale()),
        entries=entries,
        empty_updated=utcnow(),
    )
    return Response(feed.render(), content_type=CONTENT_TYPE)


def _escape_paragraph(value: str) -> str:
    from markupsafe import escape

    return f"<p>{escape(value)}</p>"


@bp.route("/practices/tags", methods=["GET", "POST"])
@login_required
def tags():
    """Admins keep each category's short list of good-practice tags."""
    require(can_edit_practice_tags(current_user))
    categories = list(db.session.scalars(select(Category).order_by(Category.position)))
    if request.method == "POST":
        form = PracticeTagsForm()
        category = next((c for c in categories if c.slug == request.form.get("category")), None)
        if category is None or not form.validate_on_submit():
            abort(400)
        practices.set_tags(current_user, category, form.tags.data.splitlines())
        flash(_("The tags are saved."), "success")
        return redirect(url_for("initiatives.tags"))
    lists = {c.id: "\n".join(practices.tags_for(c)) for c in categories}
    return render_template(
        "initiatives/practice_tags.html",
        categories=categories,
        lists=lists,
        form=PracticeTagsForm(),
    )
