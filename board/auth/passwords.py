"""Password policy and hashing: long enough, not a common password, hashed with scrypt."""

from __future__ import annotations

from functools import lru_cache

from werkzeug.security import check_password_hash, generate_password_hash

MIN_LENGTH = 10
MAX_LENGTH = 256


@lru_cache(maxsize=1)
def _common() -> frozenset[str]:
    """zxcvbn ships the 30,000 most common leaked passwords; we refuse those."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def is_common(password: str) -> bool:
    """Whether the password (ignoring case) is one attackers try first."""
    return password.lower() in _common()


def hash_password(password: str) -> str:
    """Hash with Werkzeug's scrypt default: memory-hard, salted."""
    return generate_password_hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Check a password against its stored hash."""
    return bool(password_hash) and check_password_hash(password_hash, password)
