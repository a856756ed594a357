"""Forum pages. Views load (404), authorise (403), call one service, and respond."""

from __future__ import annotations

from flask import current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from board.documents import service as documents
from board.documents import staging
from board.documents.forms import UploadForm
from board.extensions import db, limiter
from board.forum import bp, service
from board.forum.forms import ConfirmForm, EditFirstPostForm, EditForm, ReplyForm, ThreadForm
from board.forum.loaders import load_category_or_404, load_post_or_404, load_thread_or_404
from board.moderation import service as moderation
from board.notifications import service as notifications
from board.permissions import (
    can_accept_answer,
    can_delete_post,
    can_edit_post,
    can_reply,
    can_start_thread,
    can_view_revisions,
    require,
)
from board.text.markup import quote, render


def _page() -> int:
    value = request.args.get("page", "1")
    return max(1, min(int(value), 100_000)) if value.isdigit() else 1


@bp.get("/")
def index():
    return render_template("forum/index.html", summaries=service.category_summaries(current_user))


@bp.get("/c/<slug>")
def category(slug: str):
    category = load_category_or_404(slug)
    threads = db.paginate(
        service.thread_listing(current_user, category),
        page=_page(),
        per_page=current_app.config["THREADS_PER_PAGE"],
        error_out=False,
    )
    return render_template("forum/category.html", category=category, threads=threads)


@bp.route("/c/<slug>/new", methods=["GET", "POST"])
@login_required
def new_thread(slug: str):
    category = load_category_or_404(slug)
    require(can_start_thread(current_user, category))
    form, upload = ThreadForm(), UploadForm(owner=current_user)
    if request.method == "GET" or "preview" in request.form or not _valid(form, upload):
        _keep_uploads(upload)
        return _form_page("forum/new_thread.html", form, category=category, upload_form=upload)
    post = service.start_thread(current_user, category, form.title.data, form.body.data)
    _attach(post, upload)
    service.commit()
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
    upload.keep(staging.stage_uploads(current_user, upload.checked, upload.dropped))


def _attach(post, upload: UploadForm) -> None:
    """The post's documents: the files staged by an earlier refusal, then the new ones."""
    meta = upload.metadata()
    staging.attach_staged(current_user, post, upload.kept, meta, upload.dropped)
    documents.attach_documents(current_user, post, upload.checked, meta)


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
    return render_template(
        "forum/thread.html",
        thread=thread,
        posts=posts,
        answer=service.accepted_answer(current_user, thread),
        form=ReplyForm(),
        action_form=ConfirmForm(),
    )


@bp.route("/t/<int:thread_id>/reply", methods=["GET", "POST"])
@login_required
def reply(thread_id: int):
    thread = load_thread_or_404(thread_id)
    require(can_reply(current_user, thread))
    form, upload = ReplyForm(), UploadForm(owner=current_user)
    if request.method == "GET":
        quoted = request.args.get("quote", "")
        if quoted.isdigit():
            source = load_post_or_404(int(quoted))
            if source.thread_id == thread.id:
                form.body.data = quote(source.author.display_name, source.body_md)
        return _form_page("forum/reply.html", form, thread=thread)
    if "preview" in request.form or not _valid(form, upload):
        _keep_uploads(upload)
        return _form_page("forum/reply.html", form, thread=thread, upload_form=upload)
    post = service.reply(current_user, thread, form.body.data)
    _attach(post, upload)
    service.commit()
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
    if post.author_id != current_user.id and not (form.reason.data or "").strip():
        form.reason.errors = [_("Say why you edit someone else's post; its author will see it.")]
        return _form_page("forum/edit.html", form, post=post)
    before_md = post.body_md
    changed = service.edit_post(current_user, post, form.body.data, form.reason.data or "")
    if changed and post.author_id != current_user.id:
        moderation.record_moderator_edit(current_user, post, form.reason.data or "", before_md)
    if post.is_first and form.title.data.strip() != post.thread.title:
        service.rename_thread(post.thread, form.title.data)
        changed = True
    service.commit()
    if changed:
        flash(_("Your changes are saved."), "success")
    return redirect(url_for("forum.permalink", post_id=post.id))


@bp.post("/p/<int:post_id>/delete")
@login_required
def delete_post(post_id: int):
    post = load_post_or_404(post_id)
    require(can_delete_post(current_user, post))
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("forum.permalink", post_id=post.id))
    service.delete_post(post)
    if post.author_id != current_user.id:
        moderation.record_delete(current_user, post)
    service.commit()
    flash(_("The post is deleted."), "info")
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
    previous = service.accepted_answer(current_user, post.thread)
    service.set_accepted(post.thread, post)
    notifications.answer_accepted(post, current_user)
    if post.thread.author_id != current_user.id:
        moderation.record_accept(current_user, post.thread, post, previous)
    service.commit()
    flash(_("The reply is marked as the answer."), "success")
    return redirect(post.thread.url)


@bp.post("/p/<int:post_id>/unaccept")
@login_required
def unaccept(post_id: int):
    post = load_post_or_404(post_id)
    require(can_accept_answer(current_user, post))
    service.set_accepted(post.thread, None)
    if post.thread.author_id != current_user.id:
        moderation.record_accept(current_user, post.thread, None, post)
    service.commit()
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
