"""PDF text with pdfminer.six, page by page so search can link to ``#page=N``."""

from __future__ import annotations

import io
from collections.abc import Iterator

from pdfminer.converter import TextConverter
from pdfminer.layout import LAParams
from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser

from board.documents.extract import ExtractionError

MAX_PAGES = 5_000


def extract(path: str) -> Iterator[str]:
    """One string per page; a page that cannot be read stays empty, the others count.

    Owner-password-only files open with the empty password and are read. Files whose
    permissions forbid copying text are respected: the author asked for it.
    """
    with open(path, "rb") as handle:
        try:
            document = PDFDocument(PDFParser(handle), password="")
        except (PDFPasswordIncorrect, PDFEncryptionError) as error:
            raise ExtractionError("encrypted", type(error).__name__) from error
        except (KeyError, NotImplementedError) as error:
            # pdfminer signals unsupported encryption handlers this way
            if "Encrypt" in repr(error) or "crypt" in repr(error).lower():
                raise ExtractionError("encrypted", repr(error)) from error
            raise ExtractionError("damaged", repr(error)) from error
        except Exception as error:
            raise ExtractionError("damaged", repr(error)) from error
        if not document.is_extractable:
            raise ExtractionError("forbidden")
        yield from _pages(document)


def _pages(document: PDFDocument) -> Iterator[str]:
    resources = PDFResourceManager(caching=True)
    count = failures = 0
    try:
        for page in PDFPage.create_pages(document):
            if count >= MAX_PAGES:
                break
            text = _page_text(resources, page)
            count += 1
            failures += text is None
            yield text or ""
    except MemoryError:
        raise
    except Exception as error:  # a broken page tree: keep the pages read so far
        if not count:
            raise ExtractionError("damaged", repr(error)) from error
    if count and failures == count:
        raise ExtractionError("damaged", "no page could be read")


def _page_text(resources: PDFResourceManager, page: PDFPage) -> str | None:
    out = io.StringIO()
    device = TextConverter(resources, out, laparams=LAParams())
    try:
        PDFPageInterpreter(resources, device).process_page(page)
    except MemoryError:
        raise
    except Exception:  # one broken page (bad fonts, self-referencing forms) is skipped
        return None
    finally:
        device.close()
    return out.getvalue()
