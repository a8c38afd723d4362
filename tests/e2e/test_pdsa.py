"""A team member runs a PDSA cycle on the board: plan, start, study, decide, and start the next cycle."""

import re
import uuid

from playwright.sync_api import Page, expect


def _my_initiative(page: Page) -> str:
    page.goto("/")
    href = page.locator("#mine-heading ~ ul .initiative-card h3 a").first.get_attribute("href")
    assert href
    return href


def test_cycle_through_study_to_act_then_next_cycle(page: Page, login) -> None:  # type: ignore[no-untyped-def]
    login(page, "member")
    initiative = _my_initiative(page)
    title = f"E2E-test {uuid.uuid4().hex[:6]}"

    page.goto(f"{initiative}/pdsa/new")
    page.locator("#title").fill(title)
    page.locator("#change_idea").fill("Ett kort rörelsepass efter lunch.")
    page.locator("#prediction").fill("Minst 8 av 12 boende deltar.")
    page.locator("input[name=measure_ids]").first.check()
    page.locator("form.pdsa-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/pdsa/\d+$"))
    cycle_id = page.url.rsplit("/", 1)[1]

    page.goto(f"{initiative}/pdsa")
    card = page.locator(f"#cycle-{cycle_id}")
    expect(page.locator(".pdsa-col-planned")).to_contain_text(title)
    card.locator("form[action$='/advance'] button").click()  # start (HTMX swaps the board)
    expect(page.locator(".pdsa-col-running")).to_contain_text(title)
    page.locator(f"#cycle-{cycle_id} form[action$='/advance'] button").click()  # studied
    expect(page.locator(".pdsa-col-studied")).to_contain_text(title)
    page.locator(f"#cycle-{cycle_id} button[value=adapt]").click()  # act: adapt, and done
    expect(page.locator(".pdsa-col-done")).to_contain_text(title)
    expect(page.locator(f"#cycle-{cycle_id} .act-adapt")).to_be_visible()

    page.locator(f"#cycle-{cycle_id} a.next-cycle").click()
    expect(page.locator("#previous_cycle_id")).to_have_value(cycle_id)
    expect(page.locator("#title")).to_have_value(re.compile(re.escape(title)))
    expect(page.locator("input[name=measure_ids]:checked")).to_have_count(1)
    page.locator("form.pdsa-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/pdsa/\d+$"))
    ramp = page.locator(".ramp-list li")
    expect(ramp).to_have_count(2)
    expect(ramp.first).to_contain_text(title)
    expect(page.locator(".ramp-list li[aria-current=step]")).to_be_visible()
