"""Personnummer detection: formats, check digits, dates (leap days, samordningsnummer), embedded digits,
phone numbers; the service check and the reusable form macro."""

import pytest

from app.core import i18n
from app.services.errors import InvalidInput
from app.services.personal_data import (
    CONFIRM_FIELD,
    check_free_text,
    find_personnummer,
    flagged_fields,
    is_confirmed,
)
from app.web.templating import env


def luhn_digit(nine: str) -> str:
    """The check digit that completes a 9-digit YYMMDDNNN."""
    total = 0
    for i, ch in enumerate(nine):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return str((10 - total % 10) % 10)


def pnr(yymmdd: str, serial: str = "123") -> str:
    return yymmdd + serial + luhn_digit(yymmdd + serial)


def wrong_check(number: str) -> str:
    return number[:-1] + str((int(number[-1]) + 1) % 10)


# Skatteverket's published test number and a classic textbook example.
KNOWN_VALID = ["19121212-1212", "121212-1212", "1212121212", "191212121212", "811218-9876", "19811218-9876"]


@pytest.mark.parametrize("text", KNOWN_VALID)
def test_known_valid_numbers_in_every_format(text: str) -> None:
    assert find_personnummer(text) == [text]


@pytest.mark.parametrize(
    "number",
    [pnr("850709"), pnr("000101"), pnr("991231"), pnr("200229"), pnr("170615", "987"), pnr("450301", "000")],
)
def test_generated_numbers_with_dash_plus_and_plain(number: str) -> None:
    dashed = f"{number[:6]}-{number[6:]}"
    plus = f"{number[:6]}+{number[6:]}"
    for text in (number, dashed, plus):
        assert find_personnummer(f"Klienten {text} ringde.") == [text], text


@pytest.mark.parametrize("number", [pnr("850709"), pnr("000101"), "8112189876", "1212121212"])
def test_wrong_check_digit_is_not_flagged(number: str) -> None:
    bad = wrong_check(number)
    assert find_personnummer(bad) == []
    assert find_personnummer(f"{bad[:6]}-{bad[6:]}") == []


def test_twelve_digit_form_uses_the_full_year() -> None:
    ten = pnr("850709")
    assert find_personnummer("19" + ten) == ["19" + ten]
    assert find_personnummer("19850709-" + ten[6:]) == ["19850709-" + ten[6:]]
    assert find_personnummer("19" + wrong_check(ten)) == []


@pytest.mark.parametrize(
    ("yymmdd", "valid"),
    [
        ("850132", False),  # 32 January
        ("851301", False),  # month 13
        ("850001", False),  # month 0
        ("850100", False),  # day 0
        ("850431", False),  # 31 April
        ("850230", False),  # 30 February
        ("850228", True),
        ("850229", False),  # 1985 is not a leap year
        ("840229", True),  # 1984 is
        ("000229", True),  # 2000 is
    ],
)
def test_dates_must_exist(yymmdd: str, valid: bool) -> None:
    assert bool(find_personnummer(pnr(yymmdd))) is valid


def test_leap_day_depends_on_the_written_century() -> None:
    serial = pnr("000229")[6:]
    assert find_personnummer("20000229" + serial) == ["20000229" + serial]
    assert find_personnummer("19000229" + serial) == [], "1900 was not a leap year"
    # "+" marks someone aged 100 or more: born 1900 (no leap day) or 1800 (no leap day either).
    assert find_personnummer("000229+" + serial) == []
    assert find_personnummer("000229-" + serial) == ["000229-" + serial]


@pytest.mark.parametrize(
    ("yymmdd", "valid"),
    [
        ("850761", True),  # 1 July
        ("850791", True),  # 31 July
        ("840289", True),  # 29 February in a leap year
        ("850289", False),  # 29 February 1985 (and 2085): no such day
        ("850290", False),  # 30 February
        ("850792", False),  # day 32
        ("850760", False),  # day 0
    ],
)
def test_samordningsnummer_day_plus_sixty(yymmdd: str, valid: bool) -> None:
    assert bool(find_personnummer(pnr(yymmdd))) is valid


@pytest.mark.parametrize(
    "text",
    [
        "1" + pnr("850709"),  # 11 digits
        pnr("850709") + "7",  # 11 digits
        "9919" + pnr("850709") + "1",  # inside a longer number
        "ärende 2024-" + pnr("850709") + "45",
        "0" * 3 + pnr("850709"),
    ],
)
def test_numbers_inside_longer_digit_strings_are_not_flagged(text: str) -> None:
    assert find_personnummer(text) == []


def test_surrounding_letters_and_punctuation_do_not_hide_a_number() -> None:
    number = pnr("850709")
    for text in (f"pnr:{number}", f"({number})", f"x{number}y", f"{number}.", f"\n{number}\t"):
        assert find_personnummer(text) == [number], text


@pytest.mark.parametrize(
    "phone",
    [
        "070-123 45 67",
        "070 123 45 67",
        "08-123 456 78",
        "+46 70 123 45 67",
        "+46701234567",
        "0046701234567",
        "031-712 34 56",
        "020-12 34 56",
    ],
)
def test_formatted_phone_numbers_are_not_flagged(phone: str) -> None:
    assert find_personnummer(f"Ring {phone} efter kl 13.") == []


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Vecka 2024-W07: 14 av 20 brukare",
        "Mätt 2024-03-01 till 2024-03-31",
        "Ärendenummer SN 2024/1234",
        "Kostnad 1 234 567 kr",
        "12.5 %",
        "Datum 20240301",
    ],
)
def test_ordinary_improvement_text_is_not_flagged(text: str) -> None:
    assert find_personnummer(text) == []


def test_several_numbers_are_all_found() -> None:
    a, b = pnr("850709"), pnr("920101", "456")
    assert find_personnummer(f"{a} och {b[:6]}-{b[6:]}") == [a, f"{b[:6]}-{b[6:]}"]


def test_check_free_text_flags_each_field_with_a_message() -> None:
    number = pnr("850709")
    with pytest.raises(InvalidInput) as caught:
        check_free_text({"problem": f"Brukare {number}", "aim": "Minska väntetiden", "notes": None})
    assert flagged_fields(caught.value) == ["problem"]
    assert caught.value.errors[0].type == "personal_number"
    assert number in caught.value.by_field()["problem"]


def test_confirmation_lets_the_text_through() -> None:
    check_free_text({"problem": pnr("850709")}, confirmed=True)
    check_free_text({"problem": "inget nummer"})


def test_other_invalid_input_is_not_reported_as_personal_data() -> None:
    from app.services.errors import FieldError

    exc = InvalidInput([FieldError(("title",), "Required"), FieldError(("text",), "pnr", "personal_number")])
    assert flagged_fields(exc) == ["text"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1", True), ("on", True), ("true", True), (True, True), ("", False), ("0", False), (None, False), (False, False)],
)
def test_is_confirmed(value: object, expected: bool) -> None:
    assert is_confirmed(value) is expected


def _render(source: str, **context: object) -> str:
    with i18n.language("en"):
        return env.from_string(source).render(**context)


def test_macro_renders_warning_and_checkbox_only_when_flagged() -> None:
    template = '{% from "_personal_data.html" import personal_data_confirm %}{{ personal_data_confirm(flagged) }}'
    assert _render(template, flagged=[]).strip() == ""
    html = _render(template, flagged=["problem"])
    assert 'role="alert"' in html
    assert f'name="{CONFIRM_FIELD}"' in html
    assert 'value="1"' in html
    assert "checked" not in html
    assert "This is not a personal identity number" in html


def test_macro_keeps_the_box_ticked_and_names_fields() -> None:
    template = (
        '{% from "_personal_data.html" import personal_data_confirm %}'
        "{{ personal_data_confirm(flagged, checked=True, field_labels=labels) }}"
    )
    html = _render(template, flagged=["problem", "aim"], labels={"problem": "Problem <b>", "aim": "Aim"})
    assert "checked" in html
    assert "Problem &lt;b&gt;, Aim" in html
