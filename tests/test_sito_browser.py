"""The site in headless Chromium: axe-core WCAG 2.1 AA, the search dialog, table filters."""

import pytest

from browser import run_axe

pytestmark = pytest.mark.browser

PAGINE = ["/", "/enti/ets/", "/enti/udo/rsa-fondazione-rsa-soncino/", "/comuni/crema/", "/temi/anziani/"]


@pytest.mark.parametrize("url", PAGINE)
def test_no_serious_accessibility_violations(browser, server, url):
    page = browser.new_page()
    page.goto(server + url)
    violazioni = run_axe(page)
    page.close()
    assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in violazioni] == []


def _cerca(page, server, parola):
    """Type in the header's search dialog (Pagefind) and return the result links."""
    page.goto(server + "/enti/ets/")
    page.click(".atlante-ricerca-apri")
    page.fill("#atlante-ricerca-q", parola)
    page.wait_for_function(
        "() => /risultat|Nessun/.test(document.querySelector('.atlante-ricerca-stato').textContent)", timeout=15000
    )
    return page.eval_on_selector_all(".atlante-ricerca-risultato > a", "els => els.map(e => e.href)")


@pytest.mark.parametrize(
    "parola, atteso",
    [
        ("Mappatura", "/enti/patti/patto-d-ambito-2023/"),  # name
        ("Soncino", "/enti/ets/fondazione-rsa-soncino/"),  # comune
        ("volontariato", "/enti/ets/csv-lombardia-sud/"),  # tema
        ("coordinamento", "/enti/ets/csv-lombardia-sud/"),  # attività
        ("ambito", "/enti/patti/patto-d-ambito-2023/"),  # word after an elision: "d'Ambito"
        ("casa di riposo Soncino", "/enti/udo/rsa-fondazione-rsa-soncino/"),  # synonym + comune
    ],
)
def test_search_box_finds_records(browser, server, parola, atteso):
    page = browser.new_page()
    links = _cerca(page, server, parola)
    page.close()
    assert any(atteso in h for h in links[:3]), links


def test_home_search_form_opens_the_finder(browser, server):
    page = browser.new_page()
    page.goto(server + "/")
    page.fill("#atlante-cerca-q", "Soncino")
    page.click(".atlante-cerca button")
    page.wait_for_selector(".atlante-scheda-trovata", timeout=15000)
    assert page.input_value("#atlante-cercatore-q") == "Soncino"
    assert "/enti/udo/rsa-fondazione-rsa-soncino/" in page.eval_on_selector_all(
        ".atlante-scheda-trovata h3 a", "els => els.map(e => e.getAttribute('href')).join(' ')"
    )
    page.close()


def test_index_table_filters_and_sorts(browser, server):
    page = browser.new_page()
    page.goto(server + "/enti/ets/")
    assert page.is_visible(".atlante-filtri")
    visibili = (
        "() => [...document.querySelectorAll('tbody tr')].filter(r => !r.hidden).map(r => r.cells[0].textContent)"
    )
    page.select_option("#tabella-ets-comune", "019097")  # Soncino
    assert page.evaluate(visibili) == ["Fondazione RSA Soncino ONLUS"]
    page.select_option("#tabella-ets-comune", "")
    page.select_option("#tabella-ets-tema", "volontariato")
    assert sorted(page.evaluate(visibili)) == ["CSV Lombardia Sud ETS", "Forum Cremasco del Terzo Settore"]
    page.select_option("#tabella-ets-tema", "")
    page.click("thead th:first-child button")
    page.click("thead th:first-child button")
    assert page.get_attribute("thead th:first-child", "aria-sort") == "descending"
    nomi = page.evaluate(visibili)
    assert nomi == sorted(nomi, key=str.casefold, reverse=True)
    page.close()
