"""Password hashing (argon2id) and strength rules."""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from app.core.config import get_settings
from app.core.i18n import _


def hasher_for(environment: str) -> PasswordHasher:
    """argon2id with the library's recommended cost; the test environment (and only it) uses a cheap profile
    so that the suite's thousands of logins stay fast. Hashes made there never reach a real installation."""
    if environment == "test":
        return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    return PasswordHasher()


_hasher = hasher_for(get_settings().environment)
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
