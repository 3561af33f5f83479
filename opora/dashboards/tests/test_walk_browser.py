"""The top menu of the busiest role stands on one row of a 1366 px screen, and no page of the
walk is wider than a phone."""

from opora.browser_fixtures import login, shot


def test_the_menu_stands_on_one_row_and_the_phone_page_is_not_wider(
    transactional_db, world, live_server, page
):
    login(page, live_server, "region")
    assert page.locator("nav.navbar").bounding_box()["height"] < 70  # one row: 56 px
    shot(page, "menu-region-one-row")
    page.set_viewport_size({"width": 390, "height": 844})
    for path in ("/", "/inbox/", "/registry/schools/", "/roadmaps/", "/documents/"):
        page.goto(f"{live_server.url}{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, (path, width)
