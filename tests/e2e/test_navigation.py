"""Reaching the programme-structure pages by clicking: a coordinator goes from the programme to its measure
library, to a team that uses a standard measure, and sees where that team is in the programme."""

import re

from playwright.sync_api import Page, expect

ASSESSMENTS = "Andel utredningar om barn och unga klara inom fyra månader"


def test_coordinator_goes_from_the_programme_to_a_teams_stage(page: Page, login) -> None:  # type: ignore[no-untyped-def]
    login(page, "coordinator")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Program").click()
    page.locator("main a[href^='/programs/']").filter(has_text=re.compile(r"\w")).first.click()
    page.wait_for_url(re.compile(r"/programs/\d+$"))

    tabs = page.get_by_role("navigation", name="Programsidor")
    expect(tabs.get_by_role("link", name="Översikt")).to_have_attribute("aria-current", "page")
    tabs.get_by_role("link", name="Måttbibliotek").click()
    page.wait_for_url(re.compile(r"/programs/\d+/library$"))
    expect(
        page.get_by_role("navigation", name="Programsidor").get_by_role("link", name="Måttbibliotek")
    ).to_have_attribute("aria-current", "page")

    page.get_by_role("link", name=ASSESSMENTS, exact=True).click()
    page.wait_for_url(re.compile(r"/programs/\d+/library/\d+$"))
    team = page.locator(".adoption-list li").first
    badge = team.locator(".badge.stage")
    expect(badge).to_be_visible()
    stage_class = badge.get_attribute("class") or ""  # "badge stage stage-analysis"
    stage_text = badge.text_content() or ""

    # The team's measure, then its initiative: the same stage, in the header and in the stage panel.
    team.get_by_role("link").first.click()
    page.wait_for_url(re.compile(r"/measures/\d+$"))
    page.locator("main a[href^='/initiatives/']").first.click()
    page.wait_for_url(re.compile(r"/initiatives/\d+$"))
    expect(page.locator(".initiative-head .badge.stage")).to_have_attribute("class", stage_class)
    panel = page.locator("#stage-panel")  # swapped in by HTMX
    expect(panel).to_be_visible()
    current = panel.locator("[aria-current=step] .stage-name")
    expect(current).to_have_count(1)
    assert current.inner_text().strip() in stage_text
    expect(panel.locator("form")).to_have_count(0)  # only the team moves its initiative on
    expect(page.locator("#initiative-library .adoption-list li").first).to_be_visible()
