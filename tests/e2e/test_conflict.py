"""Two people edit the same measurement at once: the second save shows both values instead of overwriting."""

import random

from playwright.sync_api import Page, expect


def _row(page: Page, measure_id: str):  # type: ignore[no-untyped-def]
    row = page.locator(f"#log-{measure_id}")
    expect(row).to_be_visible()
    return row


def _save(row, value: str) -> None:  # type: ignore[no-untyped-def]
    field = row.locator("input[name=value]")
    field.fill(value)
    row.locator("button[type=submit]").first.click()


def test_second_save_of_the_same_value_gets_the_conflict_view(new_page, login) -> None:  # type: ignore[no-untyped-def]
    first: Page = new_page()
    second: Page = new_page()
    login(first, "member")
    login(second, "member")  # the same team, two browsers (two sessions)

    first.goto("/log")
    row = first.locator(".log-item", has=first.locator("input[name=value]")).first
    expect(row).to_be_visible()
    measure_id = (row.get_attribute("id") or "").removeprefix("log-")
    # Make sure the period has a stored value, so both editors start from the same version.
    _save(row, str(random.randint(10, 19)))
    expect(row.locator(".log-status.saved")).to_be_visible()

    first.goto("/log")
    second.goto("/log")
    mine, theirs = str(random.randint(20, 49)), str(random.randint(50, 89))

    _save(_row(first, measure_id), theirs)
    expect(_row(first, measure_id).locator(".log-status.saved")).to_be_visible()

    conflict_row = _row(second, measure_id)
    _save(conflict_row, mine)
    conflict = conflict_row.locator(".log-conflict")
    expect(conflict).to_be_visible()
    expect(conflict).to_have_attribute("role", "alert")
    expect(conflict).to_contain_text(theirs)  # the value stored meanwhile
    expect(conflict).to_contain_text(mine)  # and what this person typed, not lost
    expect(conflict_row.locator("input[name=value]")).to_have_value(mine)

    # Nothing was overwritten: a fresh look shows the first person's value.
    second.goto("/log")
    expect(_row(second, measure_id).locator("input[name=value]")).to_have_value(theirs)

    # Saving again on purpose ("save mine") replaces it, now knowingly.
    second.goto("/log")
    _save(_row(second, measure_id), mine)
    expect(_row(second, measure_id).locator(".log-status.saved")).to_be_visible()
    first.goto("/log")
    expect(_row(first, measure_id).locator("input[name=value]")).to_have_value(mine)
