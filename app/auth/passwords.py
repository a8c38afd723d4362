"""Password hashing (argon2id) and strength rules."""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from app.core.i18n import _

_hasher = PasswordHasher()
MIN_LENGTH = 10
_COMMON = {"password12", "losenord123", "lösenord123", "1234567890", "qwertyuiop", "framsteg123"}


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def password_problem(password: str, *, email: str = "") -> str | None:
    """Why a password is too weak, or None if it is acceptable."""
    if len(password) < MIN_LENGTH:
        return _("The password must be at least %(n)d characters long.") % {"n": MIN_LENGTH}
    if password.lower() in _COMMON or len(set(password)) < 4:
        return _("The password is too easy to guess.")
    if email and password.lower() == email.lower():
        return _("The password must not be your email address.")
    return None
