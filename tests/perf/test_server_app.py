"""The app as `framsteg serve` starts it in each worker: garbage-collector settings for a long-running server."""

import gc
from collections.abc import Iterator

import pytest

from app.main import GC_THRESHOLD, create_server_app


@pytest.fixture
def restored_gc() -> Iterator[None]:
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


def test_server_app_freezes_what_was_loaded_and_collects_less_often(restored_gc: None) -> None:
    app = create_server_app()
    assert any(getattr(route, "path", None) == "/api/v1/openapi.json" for route in app.routes)
    assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == GC_THRESHOLD
