"""The browser harness itself: local pages load, external requests are blocked and recorded."""

import pytest

pytestmark = pytest.mark.browser


def test_home_loads_in_chromium_without_external_requests(browser, server):
    page = browser.new_page()
    page.goto(server + "/")
    assert "Atlante di Comunità" in page.title()
    page.close()
    assert [u for u in page.external_requests if "tile.openstreetmap.org" not in u] == []
