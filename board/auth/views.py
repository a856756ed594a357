"""Account pages: HTTP only, the work is in ``service``."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from board import ratelimits
from board.auth import bp, service
from board.auth.account_views import start_second_step
from board.auth.forms import LoginForm, ProfileForm, RegisterForm, ResetForm, ResetRequestForm
from board.errors import too_many_requests
from board.extensions import db, limiter
from board.i18n import COOKIE, SCRIPT_COOKIE, SCRIPTS
from board.places.service import municipality_choices


def safe_next(target: str | None, fallback: str = "/") -> str:
    """Follow ``next=`` only to a path on this site, never to another host."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or any(ord(c) < 32 for c in target):
        return fallback
    return target


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit("10/hour", methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect("/")
    form = RegisterForm()
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("auth/register.html", form=form), status
    service.register(
        form.email.data,
        form.display_name.data,
        form.password.data,
        function=form.function.data,
        municipality=(form.municipality.data or "").strip(),
        mz=(form.mz.data or "").strip(),
    )
    return render_template("auth/check_mail.html", email=form.email.data)


@bp.get("/confirm/<token>")
def confirm(token: str):
    try:
        user = service.confirm(token)
    except service.TokenError:
        return render_template("auth/link_invalid.html", kind="confirm"), 400
    flash(_("Your e-mail address is confirmed. Welcome!"), "success")
    if not current_user.is_authenticated and not user.has_two_factor:
        login_user(user)  # with two-step login on, a link alone is not enough to sign in
    return redirect("/")


@bp.post("/confirm/resend")
@login_required
@limiter.limit("5/hour")
def resend_confirmation():
    if not current_user.is_confirmed:
        service.send_confirmation(current_user)
    flash(_("We sent a new confirmation link to %(email)s.", email=current_user.email), "info")
    return redirect(safe_next(request.form.get("next")))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("20/minute", methods=["POST"])
def login():
    form = LoginForm()
    next_url = safe_next(request.args.get("next") or request.form.get("next"))
    if current_user.is_authenticated:
        return redirect(next_url)
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("auth/login.html", form=form, next=next_url), status
    email = service.normalise_email(form.email.data)
    wait = ratelimits.login_blocked(email)
    if wait is not None:
        return too_many_requests(wait)
    user = service.authenticate(email, form.password.data)
    if user is None:
        if ratelimits.count_failed_login(email):
            service.notify_login_limit(email)
        form.password.errors.append(_("The e-mail address or password is not right."))
        return render_template("auth/login.html", form=form, next=next_url), 400
    if user.has_two_factor:
        return start_second_step(user, bool(form.remember.data), next_url)
    login_user(user, remember=form.remember.data)
    return redirect(next_url)


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        service.end_sessions(current_user)
    logout_user()
    flash(_("You are logged out."), "info")
    return redirect("/")


@bp.after_app_request
def keep_current_session(response):
    """After this request changed the signed-in member's password, this browser stays
    signed in (its session gets the new version) while every other session has ended.

    Only a session that was valid when the request began gets here, so a copied cookie
    cannot use it. A remember-me cookie this browser held is renewed too.
    """
    if current_user.is_authenticated and session.get("_user_id") not in (
        None,
        current_user.get_id(),
    ):
        session["_user_id"] = current_user.get_id()
        if request.cookies.get(current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")):
            session["_remember"] = "set"
    return response


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit("5/hour", methods=["POST"])
def reset_request():
    form = ResetRequestForm()
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("auth/reset_request.html", form=form), status
    service.request_reset(form.email.data)
    return render_template("auth/check_mail.html", email=form.email.data, reset=True)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset(token: str):
    try:
        user = service.user_for_reset(token)
    except service.TokenError:
        return render_template("auth/link_invalid.html", kind="reset"), 400
    form = ResetForm()
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("auth/reset.html", form=form), status
    service.reset_password(user, form.password.data)
    flash(_("Your password is changed. You can log in with it now."), "success")
    logout_user()
    return redirect(url_for("auth.login"))


@bp.post("/language")
def set_language():
    locale = request.form.get("locale") or None
    script = request.form.get("script") or None
    if (locale is None and script is None) or (
        locale is not None and locale not in current_app.config["LANGUAGES"]
    ):
        return render_template(
            "errors/error.html", code=400, title=_("Bad request"), message=_("Unknown language.")
        ), 400
    if script is not None and script not in SCRIPTS:
        return render_template(
            "errors/error.html", code=400, title=_("Bad request"), message=_("Unknown script.")
        ), 400
    if current_user.is_authenticated:
        service.set_locale(current_user, locale, script)
    response = make_response(redirect(safe_next(request.form.get("next"))))
    for name, value in ((COOKIE, locale), (SCRIPT_COOKIE, script)):
        if value is not None:
            response.set_cookie(name, value, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    return response


@bp.get("/u/<int:user_id>")
def profile(user_id: int):
    from board.models import User

    user = db.get_or_404(User, user_id)
    return render_template("auth/profile.html", profile=user)


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    form = ProfileForm() if request.method == "POST" else _profile_form(current_user)
    form.municipality.choices = municipality_choices()
    home = _checked_home(form) if form.validate_on_submit() else None
    if home is None:
        status = 400 if request.method == "POST" else 200
        known = [mz.name for mz in mz_list(current_user.municipality)]
        return render_template(
            "auth/settings.html", form=form, user=current_user, known_mzs=known
        ), status
    service.update_profile(
        current_user,
        home,
        display_name=form.display_name.data,
        function=form.function.data,
        bio=form.bio.data or "",
        gender=form.gender.data,
        in_directory=form.in_directory.data,
    )
    flash(_("Your profile is saved."), "success")
    if home.new_mz:
        flash(
            _("%(name)s is proposed as a new MZ; a moderator will confirm it.", name=home.new_mz),
            "info",
        )
    return redirect(url_for("auth.settings"))


def mz_list(municipality) -> list:
    """The MZs of a municipality, for the hint beside the MZ field."""
    from board.places.service import local_communities

    return local_communities(municipality) if municipality is not None else []


def _profile_form(user) -> ProfileForm:
    form = ProfileForm(obj=user)
    form.municipality.data = user.municipality.slug if user.municipality else ""
    # Old free text is offered only under a chosen municipality; otherwise it waits,
    # shown in the notice above the form, until the member picks a place.
    form.mz.data = user.mz.name if user.mz else (user.mz_text if user.municipality else "")
    return form


def _checked_home(form: ProfileForm):
    """The form's place fields against the map; a mismatch becomes a field error."""
    from board.places.service import HomeError, resolve_home

    try:
        return resolve_home(
            form.municipality.data or "", form.mz.data or "", propose=form.propose_mz.data
        )
    except HomeError as error:
        getattr(form, error.field).errors = [home_error_message(error)]
        return None


def home_error_message(error) -> str:
    """The member's-language sentence for a ``HomeError``."""
    messages = {
        "unknown_municipality": _("Choose your municipality from the list."),
        "mz_without_municipality": _("Choose the municipality your MZ belongs to first."),
        "mz_blank": _("Write the name of your MZ."),
        "mz_too_long": _("The MZ name can be at most 100 characters."),
    }
    if error.code == "mz_elsewhere":
        return _(
            "%(here)s has no MZ called %(name)s, but %(there)s has. Check the municipality, "
            "or tick the box below to propose %(name)s as a new MZ in %(here)s.",
            **error.detail,
        )
    return messages[error.code]
