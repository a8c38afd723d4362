import pytest
from pydantic import ValidationError

from app.core.i18n import _
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


@pytest.mark.parametrize("text", ["a\x1fb", "klocka\x07", "a\x0bb"])
def test_other_control_characters_are_refused_too(text: str) -> None:
    with pytest.raises(ValidationError) as info:
        Sample.model_validate({"name": text})
    assert _("The text contains characters that cannot be stored.") in str(info.value)


def test_tabs_and_line_breaks_are_text() -> None:
    assert Sample.model_validate({"name": "rad 1\r\nrad 2\tslut"}).name == "rad 1\r\nrad 2\tslut"
