"""What levels, statuses and outcomes are called, in the reader's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

LEVEL_LABELS = {
    "municipality": _l("Municipality or city"),
    "canton": _l("Canton"),
    "entity": _l("Entity"),
    "brcko": _l("Brčko District"),
    "state": _l("State (Bosnia and Herzegovina)"),
    "professional": _l("Professional public"),
    "international": _l("International organisations"),
}
STATUS_LABELS = {
    "draft": _l("Draft"),
    "open": _l("Collecting support"),
    "submitted": _l("Submitted"),
    "answered": _l("Answered"),
    "closed": _l("Closed"),
}
OUTCOME_LABELS = {
    "adopted": _l("Adopted"),
    "partly": _l("Partly adopted"),
    "rejected": _l("Rejected"),
    "no_answer": _l("No answer"),
}
ON_BEHALF_LABELS = {
    "self": _l("Personally"),
    "mz": _l("On behalf of my MZ council"),
}
