"""The site in headless Chromium: axe-core WCAG 2.1 AA, search in the search box, table filters."""

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
    page.goto(server + "/enti/")
    page.click("input.md-search__input")
    # The search worker loads the index asynchronously; a query typed before it is ready is
    # dropped, so type again until results come (at most ~20 s).
    for _ in range(10):
        page.fill("input.md-search__input", "")
        page.keyboard.type(parola, delay=20)
        try:
            page.wait_for_selector(".md-search-result__item", timeout=2000)
            break
        except Exception:  # playwright TimeoutError
            continue
    return page.eval_on_selector_all(".md-search-result__item a", "els => els.map(e => e.href)")


@pytest.mark.parametrize(
    "parola, atteso",
    [
        ("Mappatura", "/enti/patti/patto-d-ambito-2023/"),  # name
        ("Soncino", "/enti/ets/fondazione-rsa-soncino/"),  # comune
        ("volontariato", "/enti/ets/csv-lombardia-sud/"),  # tema
        ("coordinamento", "/enti/ets/csv-lombardia-sud/"),  # attività
        ("ambito", "/enti/patti/patto-d-ambito-2023/"),  # word after an elision: "d'Ambito"
    ],
)
def test_search_box_finds_records(browser, server, parola, atteso):
    page = browser.new_page()
    links = _cerca(page, server, parola)
    page.close()
    assert any(atteso in h for h in links), links


def test_home_search_form_opens_material_search(browser, server):
    page = browser.new_page()
    page.goto(server + "/")
    page.fill("#atlante-cerca-q", "Soncino")
    page.click(".atlante-cerca button")
    page.wait_for_selector(".md-search-result__item", timeout=15000)
    assert page.input_value("input.md-search__input") == "Soncino"
    page.close()


def test_index_table_filters_and_sorts(browser, server):
    page = browser.new_page()
    page.goto(server + "/enti/ets/")
    assert page.is_visible(".atlante-filtri")
    visibili = (
        "() => [...document.querySelectorAll('tbody tr')].filter(r => !r.hidden).map(r => r.cells[0].textContent)"
    )
    page.select_option("#tabella-ets-comune", "019097")  # Soncino
    from aiuti import ROOT
    from atlante.lettura.progetto import Progetto
    from atlante.lettura.records import load_records

    soncino = [
        r.data["nome"] for r in load_records(Progetto(ROOT)) if r.tipo.id == "ets" and r.data.get("comune") == "Soncino"
    ]
    assert "Fondazione RSA Soncino ONLUS" in soncino
    assert sorted(page.evaluate(visibili)) == sorted(soncino)
    page.select_option("#tabella-ets-comune", "")
    page.select_option("#tabella-ets-tema", "volontariato")
    assert sorted(page.evaluate(visibili)) == ["CSV Lombardia Sud ETS", "Forum Cremasco del Terzo Settore"]
    page.select_option("#tabella-ets-tema", "")
    page.click("thead th:first-child button")
    page.click("thead th:first-child button")
    assert page.get_attribute("thead th:first-child", "aria-sort") == "descending"
    nomi = page.evaluate(visibili)
    import unicodedata

    def come_il_browser(n: str) -> str:  # Italian collation: accents after the base letter, not after z
        return "".join(c for c in unicodedata.normalize("NFKD", n) if not unicodedata.combining(c)).casefold()

    assert nomi == sorted(nomi, key=come_il_browser, reverse=True)
    page.close()
