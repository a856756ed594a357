"""Document text is searchable page by page, and leaves search with its post."""

from __future__ import annotations

from board.documents.pdfgen import make_pdf
from board.extensions import db
from board.search.sources import document_docs as document_search_docs
from tests.documents.conftest import documents

PDF = make_pdf(
    [
        ["Statut mjesne zajednice Stup", "Opće odredbe"],
        ["Član 40.", "Savjet podnosi godišnji izvještaj o utrošku sredstava zboru građana"],
    ]
)


def _document_hits(client, q: str) -> list[dict]:
    response = client.get("/api/v1/search", query_string={"q": q, "type": "document"})
    assert response.status_code == 200
    return response.get_json()["results"]


def _upload(start_thread):
    response = start_thread(
        [("statut-stup.pdf", PDF)],
        doc_title="Statut MZ Stup",
        doc_type="statute",
        doc_municipality="Ilidža",
        doc_year="2022",
    )
    assert response.status_code == 302
    return documents()[0]


def test_each_page_becomes_an_entry_with_the_metadata(member, login, start_thread):
    login(member)
    document = _upload(start_thread)
    docs = document_search_docs(document)
    assert [d.id for d in docs] == [f"doc:{document.id}:1", f"doc:{document.id}:2"]
    second = docs[1]
    assert (second.type, second.page, second.title, second.doc_type) == (
        "document",
        2,
        "Statut MZ Stup",
        "statute",
    )
    assert "godišnji izvještaj" in second.body and "Opće odredbe" not in second.body
    assert second.extra == "statut-stup.pdf Ilidža 2022 Regulativa"
    assert (second.thread_id, second.post_id, second.author) == (
        document.post.thread_id,
        document.post_id,
        "Amra Member",
    )
    before = second.version
    document.municipality = "Sarajevo"
    assert document_search_docs(document)[1].version != before


def test_nothing_is_indexed_before_the_text_is_read(app, member, login, start_thread):
    app.config["EXTRACT_WORKER"] = "off"
    login(member)
    document = _upload(start_thread)
    assert document_search_docs(document) == []


def test_phrase_from_the_last_page_is_found_and_links_to_that_page(
    member, other_member, login, start_thread, client
):
    login(member)
    document = _upload(start_thread)
    login(other_member)
    hits = _document_hits(client, "izvjestaj o utrosku sredstava")
    assert [(h["document_id"], h["url"]) for h in hits] == [
        (document.id, f"/documents/{document.id}#page=2")
    ]
    page = client.get(f"/documents/{document.id}").get_data(as_text=True)
    assert 'id="page=2"' in page


def test_hidden_or_deleted_post_takes_its_document_out_of_search(
    member, admin, other_member, login, start_thread, client
):
    login(member)
    document = _upload(start_thread)
    login(admin)
    client.post(f"/p/{document.post_id}/hide", data={"reason": "Provjera"})
    login(other_member)
    assert _document_hits(client, "utrošku sredstava") == []
    login(admin)
    client.post(f"/p/{document.post_id}/restore")
    login(other_member)
    assert len(_document_hits(client, "utrošku sredstava")) == 1
    login(member)
    client.post(f"/p/{document.post_id}/delete")
    db.session.expire_all()
    login(other_member)
    assert _document_hits(client, "utrošku sredstava") == []
