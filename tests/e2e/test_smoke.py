"""What a person sees first: the login page."""


def test_wrong_password_shows_a_message_and_keeps_the_email(page) -> None:  # type: ignore[no-untyped-def]
    page.goto("/login")
    page.locator("#email").fill("nobody@example.se")
    page.locator("#password").fill("not-the-password")
    page.locator("button[type=submit]").last.click()
    assert page.get_by_role("alert").is_visible()
    assert page.locator("#email").input_value() == "nobody@example.se"
