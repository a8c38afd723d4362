"""Exit 0 when the PostgreSQL server for the tests answers, 1 otherwise (used by the Makefile)."""

import os
import sys

from sqlalchemy import create_engine, text

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def postgres_url() -> str:
    return os.environ.get("FRAMSTEG_TEST_POSTGRES_URL", DEFAULT_URL)


def available(url: str) -> bool:
    try:
        engine = create_engine(url, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return True
    except Exception:
        return False


if __name__ == "__main__":
    sys.exit(0 if available(postgres_url()) else 1)
