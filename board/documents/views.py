"""The library, a document's page, its download, and inline images.

Every route loads the document and asks ``can_read_document`` (which follows the post):
a document of a hidden or deleted post does not exist for those who may not see it.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import quote

from flask import abort, current_app, render_template, request
from flask_login import current_user

from board.documents import bp, service
from board.documents.forms import DOC_TYPE_CHOICES, DOC_TYPE_LABELS
from board.documents.sniff import image_mime
from board.documents.storage import get_storage
from board.extensions import db
from board.incoming import arg_int
from board.models import Document
from board.models.documents import DOC_TYPES, document_pages
from board.permissions import can_read_document

PAGE_PREVIEW_CHARS = 2_000  # the beginning of each page, so a search hit's #page=N lands
PREVIEW_PAGES = 200


def load_document_or_404(document_id: int) -> Document:
    """The document, if the current user may read the post it belongs to."""
    document = db.session.get(Document, document_id)
    if document is None or not can_read_document(current_user, document):
        abort(404)
    return document


def _int_arg(name: str) -> int | None:
    return arg_int(name, maximum=999_999_999)


@bp.get("/documents")
def library():
    doc_type = request.args.get("type", "")
    filters = service.LibraryFilter(
        category_id=_int_arg("category"),
        doc_type=doc_type if doc_type in DOC_TYPES else None,
        municipality=request.args.get("municipality", "").strip()[:100] or None,
        year=_int_arg("year"),
        sort="title" if request.args.get("sort") == "title" else "new",
    )
    page_value = _int_arg("page") or 1
    documents = db.paginate(
        service.library_query(current_user, filters),
        page=max(1, min(page_value, 100_000)),
        per_page=int(current_app.config["THREADS_PER_PAGE"]),
        error_out=False,
    )
    categories, municipalities, years = service.library_choices(current_user)
    return render_template(
        "documents/library.html",
        documents=documents,
        filters=filters,
        categories=categories,
        municipalities=municipalities,
        years=years,
        doc_types=DOC_TYPE_CHOICES,
        doc_type_labels=DOC_TYPE_LABELS,
    )


@bp.get("/documents/<int:document_id>")
def document(document_id: int):
    document = load_document_or_404(document_id)
    pages = document_pages(document)
    excerpts = [
        (number, text[:PAGE_PREVIEW_CHARS], len(text) > PAGE_PREVIEW_CHARS)
        for number, text in enumerate(pages[:PREVIEW_PAGES], start=1)
    ]
    return render_template(
        "documents/document.html",
        document=document,
        excerpts=excerpts,
        more_pages=max(0, len(pages) - PREVIEW_PAGES),
        reason=service.reason_message(document),
        status_label=service.STATUS_LABELS.get(document.extraction_status, ""),
        doc_type_labels=DOC_TYPE_LABELS,
    )


def content_disposition(disposition: str, filename: str) -> str:
    """RFC 6266: an ASCII fallback ``filename`` plus the exact name as ``filename*`` (RFC 5987)."""
    fallback = "".join(
        ch if 32 <= ord(ch) < 127 and ch not in '"\\%;' else "_" for ch in _ascii_fold(filename)
    )
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _ascii_fold(name: str) -> str:
    """``Izvještaj — Čapljina`` -> ``Izvjestaj - Capljina`` for clients without RFC 5987."""

    table = str.maketrans({"đ": "dj", "Đ": "Dj", "—": "-", "–": "-", "„": '"', "“": '"', "”": '"'})
    decomposed = unicodedata.normalize("NFKD", name.translate(table))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _send(document: Document, disposition: str, mimetype: str | None = None):
    storage = get_storage()
    if not storage.exists(document.sha256):
        abort(404)
    response = current_app.response_class(
        _chunks(storage, document.sha256),
        mimetype=mimetype or document.mime,
        direct_passthrough=True,
    )
    response.content_length = document.size
    response.headers["Content-Disposition"] = content_disposition(disposition, document.filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, max-age=0, must-revalidate"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _chunks(storage, sha256: str):
    with storage.open(sha256) as handle:
        while chunk := handle.read(256 * 1024):
            yield chunk


@bp.get("/documents/<int:document_id>/download")
def download(document_id: int):
    return _send(load_document_or_404(document_id), "attachment")


@bp.get("/documents/<int:document_id>/image")
def image(document_id: int):
    """PNG and JPEG attachments, shown inline in the post with their sniffed type."""
    document = load_document_or_404(document_id)
    if document.kind not in ("png", "jpeg"):
        abort(404)
    mimetype = _stored_image_mime(document)
    if mimetype is None:
        abort(404)
    return _send(document, "inline", mimetype)


def _stored_image_mime(document: Document) -> str | None:
    """The image type the stored bytes themselves declare (sniffed again at every request,
    so a row that says "png" can never make other bytes render as an image)."""
    try:
        with get_storage().open(document.sha256) as handle:
            return image_mime(handle.read(16))
    except FileNotFoundError:  # the blob is gone: the same 404 as any missing file
        return None
