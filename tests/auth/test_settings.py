"""The secret key must be set outside development."""

import pytest
from pydantic import ValidationError

from app.core.config import DEV_SECRET, Settings


@pytest.mark.parametrize("secret", [DEV_SECRET, "too-short", ""])
def test_production_refuses_a_missing_or_weak_secret(secret: str) -> None:
    with pytest.raises(ValidationError, match="FRAMSTEG_SECRET_KEY"):
        Settings(environment="production", secret_key=secret)


def test_production_accepts_a_long_random_secret() -> None:
    settings = Settings(environment="production", secret_key="k" * 16 + "0123456789abcdef")
    assert settings.environment == "production"


def test_development_runs_with_the_built_in_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FRAMSTEG_SECRET_KEY", raising=False)
    assert Settings(environment="development", _env_file=None).secret_key == DEV_SECRET  # type: ignore[call-arg]


def test_environment_variable_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FRAMSTEG_ENVIRONMENT", "production")
    monkeypatch.delenv("FRAMSTEG_SECRET_KEY", raising=False)
    with pytest.raises(ValidationError):
        Settings(_env_file=None)  # type: ignore[call-arg]


def test_real_installations_hash_passwords_at_full_cost() -> None:
    from app.auth.passwords import hasher_for

    for environment in ("development", "production"):
        hasher = hasher_for(environment)
        assert hasher.memory_cost >= 65536
        assert hasher.time_cost >= 3
    assert hasher_for("production").hash("x" * 12).startswith("$argon2id$")
