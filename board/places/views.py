"""Place pages and the directory: load (404), authorise (403), call the service, respond."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from board.extensions import db, login_manager
from board.models import LocalCommunity, Municipality
from board.permissions import (
    can_manage_places,
    can_view_directory,
    require,
    visible_category_ids,
)
from board.places import bp, directory, service
from board.profile import FUNCTION_CHOICES
from board.search.forms import clean_text


def load_municipality_or_404(slug: str) -> Municipality:
    """The municipality behind ``/places/<slug>``."""
    municipality = service.municipality_by_slug(slug)
    if municipality is None:
        abort(404)
    return municipality


@bp.get("/places")
def index():
    view = service.map_view(visible_category_ids(current_user))
    return render_template("places/index.html", view=view)


@bp.get("/places/<slug>")
def municipality(slug: str):
    municipality = load_municipality_or_404(slug)
    return _municipality_page(municipality), 200


def _municipality_page(municipality: Municipality, mz_error: str = "", mz_name: str = ""):
    people = None
    if can_view_directory(current_user):
        filters = directory.DirectoryFilters(municipality=municipality.slug, sort="name")
        people = directory.directory_page(current_user, filters, 1, per_page=50)
    return render_template(
        "places/municipality.html",
        municipality=municipality,
        mzs=service.local_communities(municipality),
        people=people,
        threads=service.municipality_threads(municipality, visible_category_ids(current_user)),
        mz_error=mz_error,
        mz_name=mz_name,
    )


@bp.post("/places/<slug>/mz")
@login_required
def add_mz(slug: str):
    municipality = load_municipality_or_404(slug)
    require(can_manage_places(current_user))
    name = request.form.get("name", "")
    try:
        mz = service.add_mz(municipality, name)
    except service.MzError as error:
        messages = {
            "exists": _(
                "%(municipality)s already has an MZ of that name.", municipality=municipality.name
            ),
            "too_long": _("The MZ name can be at most 100 characters."),
            "blank": _("Write the name of the MZ."),
        }
        return _municipality_page(municipality, messages[str(error)], name[:200]), 400
    flash(
        _("%(name)s is added to %(municipality)s.", name=mz.name, municipality=municipality.name),
        "success",
    )
    return redirect(municipality.url)


@bp.post("/places/mz/<int:mz_id>/confirm")
@login_required
def confirm_mz(mz_id: int):
    mz = db.session.get(LocalCommunity, mz_id)
    if mz is None:
        abort(404)
    require(can_manage_places(current_user))
    service.confirm_mz(mz)
    flash(_("%(name)s is confirmed.", name=mz.name), "success")
    return redirect(mz.municipality.url)


@bp.get("/people")
def people():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    require(can_view_directory(current_user))
    filters = _directory_filters()
    page = request.args.get("page", "1")
    page_number = max(1, min(int(page), 10_000)) if page.isdigit() else 1
    return render_template(
        "places/people.html",
        filters=filters,
        people=directory.directory_page(current_user, filters, page_number),
        municipalities=service.all_municipalities(),
        entities=service.entities(),
        associations=directory.associations(),
        functions=FUNCTION_CHOICES,
    )


def _directory_filters() -> directory.DirectoryFilters:
    """Parameters as given; a value that names nothing simply matches nobody."""
    args = {
        k: clean_text(request.args.get(k, ""))[:100]
        for k in ("municipality", "entity", "function", "association", "q")
    }
    sort = request.args.get("sort", "helpful")
    return directory.DirectoryFilters(**args, sort=sort if sort in directory.SORTS else "helpful")
