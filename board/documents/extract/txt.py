"""Plain text and CSV: UTF-8, else the legacy code pages BCS text comes in.

Windows-1250 and ISO-8859-2 agree on č ć đ but not on š ž Š Ž, and bytes 0x80–0x9F are
printable only in Windows-1250; so the choice is made by which decoding yields more BCS
letters, with charset-normalizer as the fallback (e.g. Windows-1251 Cyrillic).
"""

from __future__ import annotations

from charset_normalizer import from_bytes

from board.documents.extract import ExtractionError

MAX_BYTES = 50 * 1024 * 1024
BCS_LETTERS = set("čćđšžČĆĐŠŽ")


def extract(path: str) -> list[str]:
    """The whole file is page 1."""
    with open(path, "rb") as handle:
        data = handle.read(MAX_BYTES)
    return [decode(data)]


def decode(data: bytes) -> str:
    """Decode bytes of unknown encoding, preferring the encodings BCS writers use."""
    for bom, codec in (
        (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(codec, "replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    high = sum(1 for b in data if b >= 0xC0)
    ascii_letters = sum(1 for b in data if 65 <= b <= 90 or 97 <= b <= 122)
    if high > ascii_letters:  # mostly non-Latin letters: Cyrillic in a legacy code page
        best = from_bytes(data, cp_isolation=["cp1251", "iso8859_5", "koi8_r"]).best()
        if best is not None:
            return str(best)
    candidates = []
    for codec in ("cp1250", "iso8859_2"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        controls = sum(1 for ch in text if "\x80" <= ch <= "\x9f")
        candidates.append((sum(ch in BCS_LETTERS for ch in text) - 10 * controls, codec, text))
    if candidates:
        return max(candidates, key=lambda c: c[0])[2]
    best = from_bytes(data).best()
    if best is None:
        raise ExtractionError("damaged", "undecodable text")
    return str(best)
