"""Application settings, read from the environment (prefix FRAMSTEG_) and an optional .env file."""

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT_DIR = Path(__file__).resolve().parents[2]
DEV_SECRET = "dev-insecure-secret-change-me"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FRAMSTEG_", env_file=".env", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    database_url: str = f"sqlite:///{ROOT_DIR / 'data' / 'framsteg.db'}"
    secret_key: str = DEV_SECRET
    default_language: Literal["sv", "en"] = "sv"
    session_max_age_minutes: int = 8 * 60
    session_idle_minutes: int = 60
    # Cookies carry the Secure flag unless explicitly served over plain http (local development).
    secure_cookies: bool = False
    login_max_failures: int = 5
    login_window_minutes: int = 15
    db_pool_size: int = 5
    sql_echo: bool = False
    # Memory per app process for rendered pages kept until the data change (app.web.page_cache); 0 = off.
    page_cache_mb: int = 64
    # Processes that render a PDF booklet together: this one and helpers it starts (app.export.pdf).
    pdf_processes: int = Field(default=2, ge=1, le=16)

    @model_validator(mode="after")
    def _require_real_secret(self) -> "Settings":
        if self.environment == "production" and (self.secret_key == DEV_SECRET or len(self.secret_key) < 32):
            raise ValueError("FRAMSTEG_SECRET_KEY must be set to a random string of at least 32 characters")
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache
def get_settings() -> Settings:
    return Settings()
