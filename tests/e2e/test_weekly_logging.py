"""A team member logs this week's value inline, sees it on the initiative's chart, and loses nothing on bad input."""

import random

from playwright.sync_api import Page, expect


def _value_row(page: Page):  # type: ignore[no-untyped-def]
    """The first row on the weekly page that takes a single value (not a fraction)."""
    row = page.locator(".log-item", has=page.locator("input[name=value]")).first
    expect(row).to_be_visible()
    return row


def test_log_a_value_and_see_it_on_the_chart(page: Page, login) -> None:  # type: ignore[no-untyped-def]
    login(page, "member")
    page.goto("/log")
    row = _value_row(page)
    measure_id = (row.get_attribute("id") or "").removeprefix("log-")
    period = row.locator("input[name=period]").input_value()
    value = str(random.randint(30, 90))  # a count, and unlikely to be there already

    field = row.locator("input[name=value]")
    field.fill(value)
    field.press("Enter")  # the keyboard way: Enter submits the row's own form
    expect(row.locator(".log-status.saved")).to_be_visible()
    expect(row.locator("input[name=value]")).to_have_value(value)
    expect(page.locator("#live")).not_to_be_empty()  # announced to screen readers

    # The initiative's page shows the new point on the measure's chart (a point's tooltip: "v. 48 2026: 42").
    row_initiative = page.locator(".log-group", has=row).locator("h2 a")
    row_initiative.click()
    card = page.locator(f"#measure-{measure_id}")
    expect(card).to_be_visible()
    week = int(period.split("-W")[1])
    year = period.split("-W")[0]
    expect(card.locator(".chart-wide svg title", has_text=f"v. {week} {year}: {value}")).to_have_count(1)


def test_bad_value_gets_a_message_and_nothing_is_lost(page: Page, login) -> None:  # type: ignore[no-untyped-def]
    login(page, "member")
    page.goto("/log")
    row = _value_row(page)
    before = row.locator("input[name=value]").input_value()
    row.locator("input[name=comment]").fill("Räknat av kvällspersonalen")
    row.locator("input[name=value]").fill("tolv")
    row.get_by_role("button").first.click()

    error = row.locator(".field-error")
    expect(error).to_be_visible()
    expect(row.locator("input[name=value]")).to_have_attribute("aria-invalid", "true")
    # What was typed is still there, so it can be corrected rather than retyped.
    expect(row.locator("input[name=value]")).to_have_value("tolv")
    expect(row.locator("input[name=comment]")).to_have_value("Räknat av kvällspersonalen")
    # And nothing was stored: after a reload the row shows what it showed before.
    page.reload()
    expect(_value_row(page).locator("input[name=value]")).to_have_value(before)
