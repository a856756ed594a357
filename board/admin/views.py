"""The admin area. The whole blueprint is for admins: guests are sent to log in, everyone
else gets 403 before anything is loaded, so no id reveals whether it exists."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from wtforms.fields.choices import SelectChoice

from board.admin import bp, service
from board.admin.forms import AssociationForm, CategoryForm, MemberForm
from board.auth.service import find_user_by_email
from board.extensions import db, login_manager
from board.forms import ConfirmForm
from board.models import Association, Category, Membership
from board.permissions import can_admin, moderated_by_admins_only, require


@bp.before_request
def admins_only():
    """One gate for every admin page."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    require(can_admin(current_user))
    return None


def _load(model, object_id: int):
    obj = db.session.get(model, object_id)
    if obj is None:
        abort(404)
    return obj


@bp.get("/")
def index():
    associations = db.session.execute(
        select(Association, func.count(Membership.id))
        .outerjoin(Membership)
        .group_by(Association.id)
        .order_by(Association.name)
    ).all()
    categories = db.session.scalars(
        select(Category).order_by(Category.position, Category.name)
    ).all()
    return render_template(
        "admin/index.html",
        associations=associations,
        categories=categories,
        admins_only=moderated_by_admins_only(categories),
        form=ConfirmForm(),
    )


# Associations ---------------------------------------------------------------------------


@bp.route("/associations/new", methods=["GET", "POST"])
def new_association():
    form = AssociationForm()
    if not form.validate_on_submit():
        return _page("admin/association_form.html", form)
    try:
        association = service.create_association(
            current_user, form.slug.data, form.name.data, form.description.data or ""
        )
    except service.AdminError as error:
        form.slug.errors = [str(error)]
        return _page("admin/association_form.html", form, failed=True)
    flash(_("The association is created."), "success")
    return redirect(url_for("admin.association", association_id=association.id))


def _page(template: str, form, failed: bool = False, **context):
    """GET shows the form; a failed POST shows it again, with what was typed, as a 400."""
    status = 400 if failed or request.method == "POST" else 200
    return render_template(template, form=form, **context), status


@bp.route("/associations/<int:association_id>", methods=["GET", "POST"])
def association(association_id: int):
    association = _load(Association, association_id)
    form = AssociationForm(obj=association) if request.method == "GET" else AssociationForm()
    form.slug.data = association.slug
    context = {"association": association, "member_form": MemberForm(formdata=None)}
    if not form.validate_on_submit():
        return _page("admin/association.html", form, **context)
    service.update_association(
        current_user, association, form.name.data, form.description.data or ""
    )
    flash(_("The association is saved."), "success")
    return redirect(url_for("admin.association", association_id=association.id))


@bp.post("/associations/<int:association_id>/members")
def add_member(association_id: int):
    association = _load(Association, association_id)
    member_form = MemberForm()
    context = {"association": association, "member_form": member_form}
    form = AssociationForm(obj=association, formdata=None)
    if member_form.validate_on_submit():
        user = find_user_by_email(member_form.email.data)
        if user is None:
            member_form.email.errors = [_("No registered member has this e-mail address.")]
        else:
            try:
                service.add_member(current_user, association, user, member_form.moderator.data)
            except service.AdminError as error:
                member_form.email.errors = [str(error)]
            else:
                flash(_("%(name)s is now a member.", name=user.display_name), "success")
                return redirect(url_for("admin.association", association_id=association.id))
    return _page("admin/association.html", form, failed=True, **context)


def _membership(association_id: int, user_id: int) -> Membership:
    membership = db.session.scalar(
        select(Membership).where(
            Membership.association_id == association_id, Membership.user_id == user_id
        )
    )
    if membership is None:
        abort(404)
    return membership


@bp.post("/associations/<int:association_id>/members/<int:user_id>")
def change_member(association_id: int, user_id: int):
    """``action`` is appoint, unappoint or remove."""
    membership = _membership(association_id, user_id)
    action = request.form.get("action", "")
    if not ConfirmForm().validate_on_submit() or action not in {"appoint", "unappoint", "remove"}:
        abort(400)
    if action == "remove":
        service.remove_member(current_user, membership)
        flash(_("The membership is ended."), "info")
    else:
        service.set_moderator(current_user, membership, action == "appoint")
        flash(_("The moderator appointment is changed."), "success")
    return redirect(url_for("admin.association", association_id=association_id))


# Categories -----------------------------------------------------------------------------


def _category_form(category: Category | None = None) -> CategoryForm:
    form = CategoryForm(obj=category) if request.method == "GET" else CategoryForm()
    if request.method == "GET" and category is not None:
        form.association.data = category.association.slug if category.association else ""
    associations = db.session.scalars(select(Association).order_by(Association.name))
    form.association.choices = [SelectChoice("", _("— none (admins only) —"))] + [
        SelectChoice(a.slug, a.name) for a in associations
    ]
    if category is not None:
        form.slug.data = category.slug
    return form


def _association(slug: str) -> Association | None:
    if not slug:
        return None
    return db.session.scalar(select(Association).where(Association.slug == slug))


def _fields(form: CategoryForm) -> dict:
    return {
        "name": form.name.data,
        "description": form.description.data or "",
        "guidelines": form.guidelines.data or "",
        "visibility": form.visibility.data,
        "archived": bool(form.archived.data),
    }


@bp.route("/categories/new", methods=["GET", "POST"])
def new_category():
    form = _category_form()
    if not form.validate_on_submit():
        return _page("admin/category_form.html", form, category=None)
    fields = _fields(form)
    if form.position.data is not None:
        fields["position"] = form.position.data
    else:
        top = db.session.scalar(select(func.max(Category.position))) or 0
        fields["position"] = top + 1
    try:
        service.create_category(
            current_user, form.slug.data, _association(form.association.data), **fields
        )
    except service.AdminError as error:
        form.slug.errors = [str(error)]
        return _page("admin/category_form.html", form, failed=True, category=None)
    flash(_("The category is created."), "success")
    return redirect(url_for("admin.index"))


@bp.route("/categories/<int:category_id>", methods=["GET", "POST"])
def edit_category(category_id: int):
    category = _load(Category, category_id)
    form = _category_form(category)
    if not form.validate_on_submit():
        return _page("admin/category_form.html", form, category=category)
    fields = _fields(form)
    if form.position.data is not None:
        fields["position"] = form.position.data
    service.update_category(current_user, category, _association(form.association.data), **fields)
    flash(_("The category is saved."), "success")
    return redirect(url_for("admin.index"))


@bp.post("/categories/<int:category_id>/move")
def move_category(category_id: int):
    category = _load(Category, category_id)
    step = {"up": -1, "down": 1}.get(request.form.get("direction", ""))
    if step is None or not ConfirmForm().validate_on_submit():
        abort(400)
    service.shift_category(current_user, category, step)
    return redirect(url_for("admin.index"))
