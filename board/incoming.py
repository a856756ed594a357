"""Incoming text made storable: no NUL characters reach a form, a query or the database.

PostgreSQL refuses NUL in text ("text fields cannot contain NUL (0x00) bytes"), so a form
field or query parameter carrying one would end in a 500 there (SQLite would store it).
Nobody types a NUL; it only arrives from hostile or broken clients. Form fields and query
parameters lose their NUL characters as they are parsed, so every view, form and service
sees clean text and nothing else the user typed is lost; a path holding one is a 404.
"""

from __future__ import annotations

from flask import Flask, Request, abort, request
from werkzeug.datastructures import ImmutableMultiDict, MultiDict

NUL = "\x00"


def _has_nul(data: MultiDict) -> bool:
    return any(NUL in key or NUL in value for key, value in data.items(multi=True))


def _without_nul(data: MultiDict) -> ImmutableMultiDict:
    return ImmutableMultiDict(
        [(key.replace(NUL, ""), value.replace(NUL, "")) for key, value in data.items(multi=True)]
    )


class BoardRequest(Request):
    """Flask's request, with NUL characters taken out of form fields and query parameters."""

    def _load_form_data(self) -> None:
        super()._load_form_data()
        if _has_nul(self.form):
            self.__dict__["form"] = _without_nul(self.form)


def _reject_nul_in_path() -> None:
    if NUL in request.path:
        abort(404)
    if _has_nul(request.args):
        request.__dict__["args"] = _without_nul(request.args)


def register(app: Flask) -> None:
    """Use the cleaning request class and check paths and query strings first."""
    app.request_class = BoardRequest
    app.before_request_funcs.setdefault(None, []).insert(0, _reject_nul_in_path)


def parse_int(value: object, default: int | None = None, *, maximum: int = 10**9) -> int | None:
    """A whole number written in ASCII digits, or ``default``.

    ``str.isdigit()`` accepts ``²``, ``①`` and ``₀₁₂``, which ``int()`` then refuses (or
    reads as another number), and ``int()`` alone accepts `` 7``, ``+7`` and ``7_0``. Every
    number taken from a request goes through here instead.
    """
    if not isinstance(value, str) or not 0 < len(value) <= len(str(maximum)):
        return default
    if not value.isascii() or not value.isdigit():
        return default
    number = int(value)
    return number if number <= maximum else default


def arg_int(name: str, default: int | None = None, *, maximum: int = 10**9) -> int | None:
    """The query parameter ``name`` as a whole number (ASCII digits only), or ``default``."""
    return parse_int(request.args.get(name, ""), default, maximum=maximum)
