import pytest
from pydantic import ValidationError

from app.schemas.common import StrictModel


class Sample(StrictModel):
    name: str
    tags: list[str] = []


@pytest.mark.parametrize("data", [{"name": "a\x00b"}, {"name": "ok", "tags": ["x", "y\x00"]}])
def test_nul_characters_are_refused_as_field_errors(data: dict[str, object]) -> None:
    with pytest.raises(ValidationError) as info:
        Sample.model_validate(data)
    assert "NUL" in str(info.value)


def test_ordinary_text_passes_and_is_stripped() -> None:
    assert Sample.model_validate({"name": "  Förbättring ", "tags": ["ö"]}).name == "Förbättring"
