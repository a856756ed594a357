"""Words that are one English msgid but two Bosnian ones read right in Bosnian."""

from __future__ import annotations

import re

from tests import hostile
from tests.documents.conftest import documents, error_text

PDF = hostile.pdf()


def test_report_reads_izvjestaj_as_a_document_type_and_prijavi_as_an_action(
    member, other_member, login, start_thread, client
):
    login(member)
    assert start_thread([("izvjestaj.pdf", PDF)], doc_type="report").status_code == 302
    (document,) = documents()
    login(other_member)
    client.set_cookie("lang", "bs")

    page = error_text(client.get(document.url))
    assert "Vrsta dokumenta Izvještaj" in page
    library = client.get("/documents").get_data(as_text=True)
    assert '<span class="tag">Izvještaj</span>' in library
    assert re.search(r'<option value="report"[^>]*>Izvještaj</option>', library)

    thread = client.get(f"/t/{document.post.thread_id}").get_data(as_text=True)
    assert re.search(r'class="flag-link">\s*Prijavi\s*</a>', thread)
    assert "Izvještaj</a>" not in thread and ">Prijava<" not in thread
    assert '<button type="submit">Traži</button>' in thread  # the header's search button
