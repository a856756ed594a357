"""JSON views. Each holds exactly what the requester may see."""

from __future__ import annotations

from flask import abort, jsonify
from flask_login import current_user

from board.api import bp
from board.extensions import db
from board.forum import service
from board.models import Document, Post, Thread
from board.permissions import can_read_post, can_read_thread


def document_json(document: Document) -> dict:
    """A document as the API shows it."""
    return {
        "id": document.id,
        "title": document.display_title,
        "filename": document.filename,
        "type": document.doc_type,
        "kind": document.kind,
        "size": document.size,
        "url": document.url,
        "download_url": f"{document.url}/download",
        "extraction_status": document.extraction_status,
    }


def post_json(post: Post) -> dict:
    """A post as the API shows it; a deleted or hidden one keeps its place, not its text."""
    readable = can_read_post(current_user, post) and not post.is_deleted
    return {
        "id": post.id,
        "author": post.author.display_name if readable else None,
        "created_at": post.created_at.isoformat(),
        "edited_at": post.edited_at.isoformat() if post.edited_at else None,
        "body_html": post.body_html if readable else "",
        "accepted": post.accepted,
        "approved": post.approved,
        "deleted": post.is_deleted,
        "hidden": post.is_hidden,
        "documents": [document_json(d) for d in post.documents] if readable else [],
    }


@bp.get("/categories")
def categories():
    return jsonify(
        [
            {
                "id": s.category.id,
                "slug": s.category.slug,
                "name": s.category.name,
                "description": s.category.description,
                "url": s.category.url,
                "visibility": s.category.visibility,
                "archived": s.category.archived,
                "association": s.category.association.slug if s.category.association else None,
                "thread_count": s.thread_count,
                "post_count": s.post_count,
                "last_activity": s.last_activity.isoformat() if s.last_activity else None,
            }
            for s in service.category_summaries(current_user)
        ]
    )


@bp.get("/threads/<int:thread_id>")
def thread(thread_id: int):
    thread = db.session.get(Thread, thread_id)
    if thread is None or not can_read_thread(current_user, thread):
        abort(404)
    posts = db.session.scalars(service.thread_posts(current_user, thread)).all()
    return jsonify(
        {
            "id": thread.id,
            "title": thread.title,
            "url": thread.url,
            "category": thread.category.slug,
            "author": thread.author.display_name,
            "created_at": thread.created_at.isoformat(),
            "locked": thread.locked,
            "pinned": thread.pinned,
            "solved": thread.solved,
            "posts": [post_json(p) for p in posts],
        }
    )
