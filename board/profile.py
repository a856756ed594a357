"""The fixed choices of a member's profile, shared by sign-up, the directory and stats.

A leaf: auth's forms, the places directory and the statistics all read these lists, and
none of them may import another for it.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

FUNCTION_CHOICES = [
    ("president", _l("MZ council president")),
    ("council", _l("MZ council member")),
    ("secretary", _l("MZ secretary")),
    ("official", _l("Municipal official")),
    ("activist", _l("Activist or volunteer")),
    ("association", _l("Association staff")),
    ("other", _l("Other")),
]
GENDER_CHOICES = [
    ("undisclosed", _l("Prefer not to say")),
    ("woman", _l("Woman")),
    ("man", _l("Man")),
    ("other", _l("Other")),
]
