"""Initiative pages. Views load (404), authorise (403), call one service, and respond."""

from __future__ import annotations

from flask import Response, abort, flash, jsonify, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from board import ratelimits
from board.documents import service as documents
from board.documents.forms import UploadForm
from board.extensions import db
from board.forum.loaders import load_thread_or_404
from board.incoming import arg_int
from board.initiatives import bp, letters, queries, service
from board.initiatives.forms import InitiativeForm, MakeInitiativeForm, StatusForm, SupportForm
from board.initiatives.labels import LEVEL_LABELS, OUTCOME_LABELS, STATUS_LABELS
from board.initiatives.queries import InitiativeFilter
from board.initiatives.service import InitiativeError
from board.models import Category, Municipality, Post
from board.models.initiatives import LEVELS, STATUSES, Initiative
from board.permissions import (
    can_change_initiative_status,
    can_edit_initiative,
    can_export_initiative,
    can_make_initiative,
    can_start_initiative,
    can_support,
    require,
    visible_category_ids,
)
from board.places.service import municipality_by_slug, municipality_choices

PER_PAGE = 20


def load_initiative_or_404(thread_id: int) -> Initiative:
    """The thread's initiative, if the thread is readable and is one."""
    thread = load_thread_or_404(thread_id)
    initiative = queries.initiative_for(thread)
    if initiative is None:
        abort(404)
    return initiative


@bp.app_template_global()
def initiative_block(thread) -> queries.ThreadBlock:
    """The thread page's initiative and good-practice block (see thread.html)."""
    return queries.thread_block(current_user, thread)


@bp.app_template_global()
def initiative_kinds(results) -> dict[int, list[str]]:
    """Search results' initiative status and good-practice labels (search.html)."""
    return queries.kinds_of(sorted({r.thread_id for r in results}))


@bp.app_context_processor
def labels() -> dict:
    return {
        "level_labels": LEVEL_LABELS,
        "initiative_status_labels": STATUS_LABELS,
        "outcome_labels": OUTCOME_LABELS,
        "days_since": queries.days_since,
    }


def _categories() -> list[Category]:
    return [
        c
        for c in db.session.scalars(
            select(Category)
            .where(Category.id.in_(visible_category_ids(current_user)))
            .order_by(Category.position, Category.name)
        )
        if can_start_initiative(current_user, c)
    ]


@bp.route("/initiatives/new", methods=["GET", "POST"])
@login_required
@ratelimits.posting
@ratelimits.posting_address
def new():
    categories = _categories()
    require(bool(categories))
    form = InitiativeForm()
    form.category.choices = [(c.slug, c.name) for c in categories]
    form.municipality.choices = municipality_choices()
    if request.method == "GET":
        form.category.data = request.args.get("category", "")
        if current_user.municipality is not None:
            form.municipality.data = current_user.municipality.slug
        return render_template("initiatives/new.html", form=form)
    category = next((c for c in categories if c.slug == form.category.data), None)
    valid = form.validate_on_submit()
    if category is None:
        form.category.errors = [_("Choose a category from the list.")]
    if not valid or category is None:
        return render_template("initiatives/new.html", form=form), 400
    place = municipality_by_slug(form.municipality.data) if form.municipality.data else None
    post = service.start_initiative(
        current_user,
        category,
        form.title.data,
        form.body.data,
        level=form.level.data,
        addressee=form.addressee.data,
        legal_basis=form.legal_basis.data or "",
        municipality=place,
    )
    if not post.approved:
        flash(
            _("Your post is waiting for a moderator's approval. Only you can see it until then."),
            "info",
        )
    return redirect(post.thread.url)


@bp.route("/t/<int:thread_id>/initiative", methods=["GET", "POST"])
@login_required
def make(thread_id: int):
    """Turn a thread into an initiative, or edit a draft's addressee, legal basis and
    co-authors."""
    thread = load_thread_or_404(thread_id)
    initiative = queries.initiative_for(thread)
    if initiative is None:
        require(can_make_initiative(current_user, thread))
    else:
        require(can_edit_initiative(current_user, initiative))
    form = MakeInitiativeForm(obj=initiative) if request.method == "GET" else MakeInitiativeForm()
    if request.method == "GET":
        if initiative is not None:
            form.coauthors.data = "\n".join(f"@{u.handle}" for u in initiative.coauthors)
        return render_template("initiatives/make.html", form=form, thread=thread)
    if not form.validate_on_submit():
        return render_template("initiatives/make.html", form=form, thread=thread), 400
    try:
        service.make_initiative(
            current_user,
            thread,
            level=form.level.data,
            addressee=form.addressee.data,
            legal_basis=form.legal_basis.data or "",
            coauthor_names=(form.coauthors.data or "").splitlines(),
        )
    except InitiativeError as error:
        db.session.rollback()
        form[error.field].errors = [*form[error.field].errors, error.message]
        return render_template("initiatives/make.html", form=form, thread=thread), 400
    flash(_("The initiative is saved."), "success")
    return redirect(thread.url)


@bp.route("/t/<int:thread_id>/initiative/status", methods=["GET", "POST"])
@login_required
def status(thread_id: int):
    initiative = load_initiative_or_404(thread_id)
    form, upload = StatusForm(), UploadForm(owner=current_user)
    if request.method == "GET":
        require(any(can_change_initiative_status(current_user, initiative, s) for s in STATUSES))
        return render_template("initiatives/status.html", initiative=initiative, form=form)
    require(can_change_initiative_status(current_user, initiative, form.status.data or ""))
    valid = form.validate_on_submit()
    if not (upload.validate() and valid):
        return _status_page(initiative, form, upload)
    documents.store_uploads(upload.checked)  # outside the write transaction (SQLite lock)
    try:
        service.change_status(
            current_user,
            initiative,
            form.status.data,
            note=form.note.data or "",
            outcome=form.outcome.data or "",
            reference=form.reference.data or "",
            files=upload.checked,
            meta=upload.metadata(),
        )
    except InitiativeError as error:
        db.session.rollback()
        target = upload.files if error.field == "files" else form[error.field]
        target.errors = [*target.errors, error.message]
        return _status_page(initiative, form, upload)
    flash(_("The initiative's status is changed."), "success")
    return redirect(initiative.url)


def _status_page(initiative: Initiative, form: StatusForm, upload: UploadForm):
    return (
        render_template(
            "initiatives/status.html", initiative=initiative, form=form, upload_form=upload
        ),
        400,
    )


@bp.post("/t/<int:thread_id>/support")
@login_required
def support(thread_id: int):
    initiative = load_initiative_or_404(thread_id)
    require(can_support(current_user, initiative))
    form = SupportForm()
    if form.validate_on_submit():
        try:
            added = service.support(current_user, initiative, form.on_behalf.data)
        except InitiativeError as error:
            form.on_behalf.errors = [error.message]
        else:
            if added:
                flash(_("Thank you: your support is recorded."), "success")
            return redirect(initiative.url)
    return render_template("initiatives/support.html", initiative=initiative, form=form), 400


@bp.post("/t/<int:thread_id>/unsupport")
@login_required
def unsupport(thread_id: int):
    initiative = load_initiative_or_404(thread_id)
    require(can_support(current_user, initiative))
    if not SupportForm().validate_on_submit():
        abort(400)
    if service.unsupport(current_user, initiative):
        flash(_("Your support is withdrawn."), "info")
    return redirect(initiative.url)


def _function_label(code: str) -> str:
    from board.auth.forms import FUNCTION_CHOICES

    return str(dict(FUNCTION_CHOICES).get(code, code))


@bp.get("/t/<int:thread_id>/initiative.odt")
def letter(thread_id: int):
    initiative = load_initiative_or_404(thread_id)
    require(can_export_initiative(current_user, initiative))
    first = db.session.scalar(
        select(Post).where(Post.thread_id == initiative.thread_id, Post.is_first)
    )
    body = letters.letter_odt(initiative, first, queries.supporters(initiative), _function_label)
    return _attachment(body, "application/vnd.oasis.opendocument.text", initiative, "odt")


@bp.get("/t/<int:thread_id>/supporters.csv")
def supporters_csv(thread_id: int):
    initiative = load_initiative_or_404(thread_id)
    require(can_export_initiative(current_user, initiative))
    body = letters.supporters_csv(queries.supporters(initiative), _function_label)
    return _attachment(body.encode(), "text/csv; charset=utf-8", initiative, "csv")


def _attachment(body: bytes, mime: str, initiative: Initiative, ext: str) -> Response:
    name = f"initiative-{initiative.thread_id}.{ext}"
    response = Response(body, mimetype=mime)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# Listing --------------------------------------------------------------------------------


def _filters() -> tuple[InitiativeFilter, dict[str, str]]:
    """The listing's query string, checked; a wrong value is a 400 with a message."""
    errors = {}
    status = request.args.get("status", "")
    level = request.args.get("level", "")
    sort = request.args.get("sort", "new")
    place = request.args.get("place", "")
    place_id = None
    if status and status not in STATUSES:
        errors["status"] = _("There is no status %(value)s.", value=status)
    if level and level not in LEVELS:
        errors["level"] = _("There is no level %(value)s.", value=level)
    if sort not in ("new", "support"):
        errors["sort"] = _("Sort by new or support.")
    if place:
        place_id = db.session.scalar(select(Municipality.id).where(Municipality.slug == place))
        if place_id is None:
            errors["place"] = _("There is no place %(slug)s.", slug=place)
    return InitiativeFilter(status, level, place_id, sort), errors


def _page_of_results(filters: InitiativeFilter):
    return db.paginate(
        queries.listing(current_user, filters),
        page=max(1, arg_int("page", 1, maximum=100_000)),
        per_page=PER_PAGE,
        error_out=False,
        count=True,
    )


def _counts(page) -> dict:
    return queries.counts_for([initiative.id for initiative in page.items])


@bp.get("/initiatives")
def index():
    filters, errors = _filters()
    page = None if errors else _page_of_results(filters)
    return render_template(
        "initiatives/index.html",
        page=page,
        filters=filters,
        errors=errors,
        counts=_counts(page) if page else {},
        places=municipality_choices(),
    ), (400 if errors else 200)


@bp.get("/api/v1/initiatives")
def api_index():
    filters, errors = _filters()
    if errors:
        return jsonify({"errors": errors}), 400
    page = _page_of_results(filters)
    counts = _counts(page)
    return jsonify(
        {
            "total": page.total,
            "page": page.page,
            "results": [_json(i, counts.get(i.id, queries.Counts())) for i in page.items],
        }
    )


def _json(initiative: Initiative, counts: queries.Counts) -> dict:
    return {
        "id": initiative.thread_id,
        "title": initiative.thread.title,
        "status": initiative.status,
        "outcome": initiative.outcome,
        "level": initiative.level,
        "addressee": initiative.addressee,
        "supporters": counts.members,
        "mz_count": counts.mzs,
        "municipality_count": counts.municipalities,
        "submitted_at": initiative.submitted_at.isoformat() if initiative.submitted_at else None,
        "url": initiative.url,
    }
