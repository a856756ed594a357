"""Forum pages. Views load (404), authorise (403), call one service, and respond."""

from __future__ import annotations

from flask import current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from board import ratelimits
from board.documents.forms import UploadForm
from board.extensions import db, limiter
from board.forms import ConfirmForm, ReasonForm
from board.forum import bp, reading, service
from board.forum.forms import EditFirstPostForm, EditForm, ReplyForm, ThreadForm
from board.forum.loaders import load_category_or_404, load_post_or_404, load_thread_or_404
from board.incoming import arg_int, parse_int
from board.permissions import (
    can_accept_answer,
    can_delete_post,
    can_edit_post,
    can_mark_read,
    can_reply,
    can_start_thread,
    can_undo_delete,
    can_view_revisions,
    is_author,
    require,
)
from board.places.service import municipality_by_slug, municipality_choices
from board.text.markup import quote, render


def _page() -> int:
    return max(1, arg_int("page", 1, maximum=100_000))


@bp.get("/")
def index():
    return render_template("forum/index.html", summaries=service.category_summaries(current_user))


@bp.get("/c/<slug>")
def category(slug: str):
    category = load_category_or_404(slug)
    threads = db.paginate(
        reading.with_unread(service.thread_listing(current_user, category), current_user),
        page=_page(),
        per_page=current_app.config["THREADS_PER_PAGE"],
        error_out=False,
    )
    return render_template("forum/category.html", category=category, threads=threads)


@bp.post("/c/<slug>/read")
@login_required
def mark_category_read(slug: str):
    category = load_category_or_404(slug)
    require(can_mark_read(current_user, category))
    if ConfirmForm().validate_on_submit():
        reading.mark_category_read(current_user, category)
        flash(_("All threads in this category are marked as read."), "success")
    return redirect(url_for("forum.category", slug=category.slug))


@bp.route("/c/<slug>/new", methods=["GET", "POST"])
@login_required
@ratelimits.posting
@ratelimits.posting_address
def new_thread(slug: str):
    category = load_category_or_404(slug)
    require(can_start_thread(current_user, category))
    form, upload = ThreadForm(), UploadForm(owner=current_user)
    form.municipality.choices = municipality_choices()
    if request.method == "GET" and current_user.municipality is not None:
        form.municipality.data = current_user.municipality.slug
    if request.method == "GET" or "preview" in request.form or not _valid(form, upload):
        _keep_uploads(upload)
        return _form_page("forum/new_thread.html", form, category=category, upload_form=upload)
    place = municipality_by_slug(form.municipality.data) if form.municipality.data else None
    post = service.start_thread(
        current_user,
        category,
        form.title.data,
        form.body.data,
        upload.attachments(),
        municipality=place,
    )
    if not post.approved:
        flash(
            _("Your post is waiting for a moderator's approval. Only you can see it until then."),
            "info",
        )
    return redirect(post.thread.url)


def _valid(form, upload) -> bool:
    """Validate the post and its attachments together, so every problem shows at once."""
    post_ok = form.validate_on_submit()
    return upload.validate() and post_ok


def _keep_uploads(upload: UploadForm) -> None:
    """A preview or a refused post keeps the files that passed the checks (browsers never
    re-fill a file input): they are staged and listed as already attached."""
    if request.method != "POST":
        return
    if "preview" in request.form:
        upload.validate()
    upload.keep(service.keep_uploads(current_user, upload.checked, upload.dropped))


def _form_page(template: str, form, **context):
    """GET shows the form; a preview or a failed POST shows it again with what was typed."""
    body = form.body.data if request.method == "POST" else None
    fits = body and len(body) <= int(current_app.config["BODY_MAX"])
    preview = render(body) if fits else None
    status = 400 if request.method == "POST" and "preview" not in request.form else 200
    return render_template(template, form=form, preview=preview, **context), status


@bp.get("/t/<int:thread_id>")
def thread(thread_id: int):
    thread = load_thread_or_404(thread_id)
    posts = db.paginate(
        service.thread_posts(current_user, thread),
        page=_page(),
        per_page=current_app.config["POSTS_PER_PAGE"],
        error_out=False,
    )
    page = render_template(
        "forum/thread.html",
        thread=thread,
        posts=posts,
        answer=service.accepted_answer(current_user, thread),
        form=ReplyForm(),
        hide_form=ReasonForm(formdata=None),
    )
    # After rendering: the commit expires what the page loaded.
    if posts.items and can_mark_read(current_user, thread.category):
        reading.mark_read(current_user, thread, max(post.id for post in posts.items))
    return page


@bp.route("/t/<int:thread_id>/reply", methods=["GET", "POST"])
@login_required
@ratelimits.posting
@ratelimits.posting_address
def reply(thread_id: int):
    thread = load_thread_or_404(thread_id)
    require(can_reply(current_user, thread))
    form, upload = ReplyForm(), UploadForm(owner=current_user)
    if request.method == "GET":
        quoted = request.args.get("quote", "")
        if parse_int(quoted) is not None:
            source = load_post_or_404(parse_int(quoted))
            if source.thread_id == thread.id:
                form.body.data = quote(source.author.display_name, source.body_md)
        return _form_page("forum/reply.html", form, thread=thread)
    if "preview" in request.form or not _valid(form, upload):
        _keep_uploads(upload)
        return _form_page("forum/reply.html", form, thread=thread, upload_form=upload)
    post = service.reply(current_user, thread, form.body.data, upload.attachments())
    if not post.approved:
        flash(
            _("Your post is waiting for a moderator's approval. Only you can see it until then."),
            "info",
        )
    return redirect(url_for("forum.permalink", post_id=post.id))


@bp.get("/p/<int:post_id>")
def permalink(post_id: int):
    post = load_post_or_404(post_id, allow_deleted=True)
    page = service.post_page(current_user, post)
    return redirect(
        url_for("forum.thread", thread_id=post.thread_id, page=page, _anchor=f"post-{post.id}")
    )


@bp.route("/p/<int:post_id>/edit", methods=["GET", "POST"])
@login_required
def edit_post(post_id: int):
    post = load_post_or_404(post_id)
    require(can_edit_post(current_user, post))
    form_class = EditFirstPostForm if post.is_first else EditForm
    form = form_class(obj=post) if request.method == "GET" else form_class()
    if request.method == "GET":
        form.body.data = post.body_md
        if post.is_first:
            form.title.data = post.thread.title
    if request.method == "GET" or "preview" in request.form or not form.validate_on_submit():
        return _form_page("forum/edit.html", form, post=post)
    if not is_author(current_user, post) and not (form.reason.data or "").strip():
        form.reason.errors = [_("Say why you edit someone else's post; its author will see it.")]
        return _form_page("forum/edit.html", form, post=post)
    title = form.title.data if post.is_first else None
    changed = service.edit_post(
        current_user, post, form.body.data, form.reason.data or "", title=title
    )
    if changed:
        flash(_("Your changes are saved."), "success")
    return redirect(url_for("forum.permalink", post_id=post.id))


@bp.route("/p/<int:post_id>/delete", methods=["GET", "POST"])
@login_required
def delete_post(post_id: int):
    """GET asks first; the confirmation's POST deletes, and its message offers an undo."""
    post = load_post_or_404(post_id)
    require(can_delete_post(current_user, post))
    form = ConfirmForm()
    if request.method == "GET":
        return render_template("forum/delete.html", post=post, form=form)
    if not form.validate_on_submit():
        return redirect(url_for("forum.permalink", post_id=post.id))
    service.delete_post(current_user, post)
    category = f"undo:{post.id}" if can_undo_delete(current_user, post) else "info"
    flash(_("The post is deleted."), category)
    return redirect(url_for("forum.permalink", post_id=post.id))


@bp.get("/p/<int:post_id>/revisions")
def revisions(post_id: int):
    post = load_post_or_404(post_id)
    require(can_view_revisions(current_user, post))
    return render_template("forum/revisions.html", post=post)


@bp.post("/p/<int:post_id>/accept")
@login_required
def accept(post_id: int):
    post = load_post_or_404(post_id)
    require(can_accept_answer(current_user, post))
    service.accept_answer(current_user, post)
    flash(_("The reply is marked as the answer."), "success")
    return redirect(post.thread.url)


@bp.post("/p/<int:post_id>/unaccept")
@login_required
def unaccept(post_id: int):
    post = load_post_or_404(post_id)
    require(can_accept_answer(current_user, post))
    service.unaccept_answer(current_user, post)
    flash(_("The reply is no longer marked as the answer."), "info")
    return redirect(post.thread.url)


@bp.post("/preview")
@login_required
@limiter.limit("120/minute")
def preview():
    """Render Markdown exactly as saving would, for the editor's live preview."""
    body = request.form.get("body", "")
    if len(body) > int(current_app.config["BODY_MAX"]):
        return jsonify({"error": _("The message is too long.")}), 400
    return jsonify({"html": render(body)})
