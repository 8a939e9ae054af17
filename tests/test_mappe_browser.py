"""The maps in headless Chromium, on a site built from the shipped records plus a test-only record
whose name has an apostrophe, quotes and an ampersand, and a test-only page with small maps."""

from __future__ import annotations

import json
import textwrap

import pytest

from aiuti import copy_project
from atlante.lettura.progetto import Progetto
from atlante.motore.costruzione import build_site
from browser import run_axe, serve_site

pytestmark = pytest.mark.browser

NOME_DIFFICILE = 'L\'Arca "Insieme" & Co.'
TILES = "tile.openstreetmap.org"


@pytest.fixture(scope="module")
def sito_mappe(tmp_path_factory):
    root = copy_project(tmp_path_factory.mktemp("mappe"))
    (root / "data/enti/ets/l-arca-insieme.yml").write_text(
        textwrap.dedent(f"""\
        nome: {json.dumps(NOME_DIFFICILE)}
        comune: Crema
        posizione: {{lat: 45.3649, lon: 9.6881}}
        temi: [anziani]
        verificato_il: 2026-01-10
        """),
        encoding="utf-8",
    )
    # Test-only page with the placeholders that record and comune pages carry (shared contract).
    (root / "content/prova-mappe.md").write_text(
        textwrap.dedent("""\
        # Prova mappe

        <div class="atlante-mappa" data-mappa="scheda" data-id="l-arca-insieme" data-istat="019035"></div>

        <div class="atlante-mappa" data-mappa="comune" data-istat="019035"></div>
        """),
        encoding="utf-8",
    )
    site = build_site(Progetto(root), root / "site")
    geo = json.loads((site / "dati/enti.geojson").read_text(encoding="utf-8"))
    with serve_site(site) as url:
        yield url, geo


def _apri(browser, url):
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    errori = []
    page.on("pageerror", lambda e: errori.append(str(e)))
    page.goto(url)
    page.wait_for_selector("#atlante-rete[data-pronta='1']", timeout=15000)
    return page, errori


def _axe(page, dove: str) -> list:
    """Serious/critical axe-core violations inside `dove` (the map, its controls and list).

    The theme's own header tabs and footer are checked by the site's tests, not here."""
    return [(v["id"], [n["target"] for n in v["nodes"]]) for v in run_axe(page, dove)]


def _punti_mostrati(page) -> int:
    """Markers plus the counts written on the clusters."""
    return page.evaluate("""() => {
        const singoli = document.querySelectorAll('.leaflet-marker-icon.atlante-punto').length;
        const gruppi = [...document.querySelectorAll('.leaflet-marker-icon.marker-cluster span')]
            .reduce((n, s) => n + parseInt(s.textContent, 10), 0);
        return singoli + gruppi; }""")


def test_network_map(browser, sito_mappe):
    url, geo = sito_mappe
    page, errori = _apri(browser, url + "/mappa/")
    n = len(geo["features"])
    assert n >= 8
    assert _punti_mostrati(page) == n
    assert page.locator("#atlante-elenco tbody tr").count() == n
    assert page.get_attribute("#atlante-rete", "data-punti") == str(n)

    # toggling a layer hides exactly its points, on the map and in the list
    n_ets = sum(1 for f in geo["features"] if f["properties"]["tipo"] == "ets")
    page.get_by_label("Enti del Terzo Settore").uncheck()
    assert _punti_mostrati(page) == n - n_ets
    assert page.locator("#atlante-elenco tbody tr").count() == n - n_ets
    page.get_by_label("Enti del Terzo Settore").check()
    assert _punti_mostrati(page) == n

    # filters by tema and comune, without reloading
    page.evaluate("window.nonRicaricata = true")
    page.select_option("#atlante-filtro-tema", "anziani")
    attesi = sum(1 for f in geo["features"] if "anziani" in f["properties"]["temi"])
    assert page.locator("#atlante-elenco tbody tr").count() == attesi == _punti_mostrati(page)
    page.select_option("#atlante-filtro-tema", "")
    page.select_option("#atlante-filtro-comune", "019097")  # Soncino
    attesi = sum(
        1 for f in geo["features"] if "019097" in (f["properties"].get("comuni") or [f["properties"]["istat"]])
    )
    assert 0 < attesi < n
    assert page.locator("#atlante-elenco tbody tr").count() == attesi == _punti_mostrati(page)
    assert page.evaluate("window.nonRicaricata") is True
    assert errori == []
    nuove = page.external_requests
    page.close()
    assert [u for u in nuove if TILES not in u] == []
    assert any(TILES in u for u in nuove)  # tiles were requested (and blocked): the map is really drawn


def test_click_on_a_point_opens_the_popup_with_its_link(browser, sito_mappe):
    url, geo = sito_mappe
    page, errori = _apri(browser, url + "/mappa/")
    # the list's button zooms to the point and opens its popup; then a real click on the marker
    riga = page.locator("#atlante-elenco tbody tr", has_text=NOME_DIFFICILE)
    riga.get_by_role("button").click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for(timeout=10000)
    assert popup.locator(".atlante-popup-nome").inner_text() == NOME_DIFFICILE
    # The list button zooms (animated) and may reopen the popup when the zoom ends: close it
    # until it stays closed, so the marker click below is what opens it again.
    for _ in range(5):
        page.wait_for_timeout(400)
        if page.locator(".leaflet-popup").count() == 0:
            break
        page.locator(".leaflet-popup-close-button").click()
    page.locator(".leaflet-popup").wait_for(state="detached", timeout=5000)
    page.locator('.atlante-punto[title^="L\'Arca \\"Insieme"]').click()
    popup.wait_for(timeout=5000)
    assert "Ente del Terzo Settore" in popup.inner_text() and "Crema" in popup.inner_text()
    link = popup.get_by_role("link", name="Apri la scheda")
    assert link.get_attribute("href").endswith("/enti/ets/l-arca-insieme/")
    assert (
        page.evaluate("(h) => new URL(h, location.href).pathname", link.get_attribute("href"))
        == "/enti/ets/l-arca-insieme/"
    )
    # the name reaches the list as text too, and never as markup
    assert riga.locator("th a").inner_text() == NOME_DIFFICILE
    assert errori == []
    page.close()


def test_posizione_approssimata_detta_nel_popup(browser, sito_mappe):
    url, geo = sito_mappe
    nomi = [f["properties"]["nome"] for f in geo["features"]]
    # a point whose name is unique in the list (real data has many a "Biblioteca comunale")
    approx = next(
        f["properties"]
        for f in geo["features"]
        if f["properties"]["approssimata"] and nomi.count(f["properties"]["nome"]) == 1
    )
    page, _ = _apri(browser, url + "/mappa/")
    page.locator("#atlante-elenco tbody tr", has_text=approx["nome"]).get_by_role("button").click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for(timeout=10000)
    assert "Posizione approssimata" in popup.inner_text()
    assert page.locator(".atlante-punto.atlante-approssimata").count() >= 1
    page.close()


def test_controlli_usabili_da_tastiera(browser, sito_mappe):
    url, geo = sito_mappe
    page, _ = _apri(browser, url + "/mappa/")
    n = len(geo["features"])
    n_patti = sum(1 for f in geo["features"] if f["properties"]["tipo"] == "patto")
    page.get_by_label("Patti di Comunità").focus()
    page.keyboard.press("Space")
    assert _punti_mostrati(page) == n - n_patti
    bottone = page.locator("#atlante-elenco tbody tr", has_text=NOME_DIFFICILE).get_by_role("button")
    bottone.focus()
    page.keyboard.press("Enter")
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for(timeout=10000)
    page.locator(".leaflet-popup-close-button").click()
    popup.wait_for(state="detached", timeout=5000)
    marker = page.locator('.atlante-punto[title^="L\'Arca \\"Insieme"]')
    assert marker.get_attribute("tabindex") == "0"
    marker.focus()
    page.keyboard.press("Enter")
    popup.wait_for(timeout=5000)
    assert "L'Arca" in popup.inner_text()
    page.close()


def test_axe_mappa(browser, sito_mappe):
    url, _ = sito_mappe
    page, _ = _apri(browser, url + "/mappa/")
    assert _axe(page, "article") == []
    page.close()


def test_mappe_piccole(browser, sito_mappe):
    url, geo = sito_mappe
    page = browser.new_page()
    page.goto(url + "/prova-mappe/")
    page.wait_for_selector(".atlante-mappa[data-mappa='comune'][data-pronta='1']", timeout=15000)
    page.wait_for_selector(".atlante-mappa[data-mappa='scheda'][data-pronta='1']", timeout=15000)
    scheda = page.locator(".atlante-mappa[data-mappa='scheda']")
    assert scheda.locator(".atlante-punto").count() == 1
    assert scheda.locator("path.leaflet-interactive, path").count() >= 1  # the comune's boundary
    assert "Crema" in scheda.locator(".atlante-mappa-nota").inner_text()
    comune = page.locator(".atlante-mappa[data-mappa='comune']")
    attesi = [
        f["properties"]["nome"]
        for f in geo["features"]
        if "019035" in (f["properties"].get("comuni") or [f["properties"]["istat"]])
    ]
    assert comune.get_attribute("data-punti") == str(len(attesi))
    assert sorted(comune.locator(".atlante-mappa-elenco li a").all_inner_texts()) == sorted(attesi)
    assert NOME_DIFFICILE in attesi
    assert _axe(page, "article") == []
    page.close()
    assert [u for u in page.external_requests if TILES not in u] == []


def test_mappe_piccole_senza_elenco_dei_punti(browser, sito_mappe):
    """A record page's small map uses the point written in the page, a comune page's the points of
    its comune: neither downloads the list of every point of the network."""
    url, _ = sito_mappe
    page = browser.new_page()
    caricati = []
    page.on("request", lambda r: caricati.append(r.url))
    page.goto(url + "/enti/ets/l-arca-insieme/")
    box = page.locator(".atlante-mappa[data-mappa='scheda'][data-pronta='1']")
    box.wait_for(timeout=15000)
    assert box.locator(".atlante-punto").count() == 1
    box.locator(".atlante-punto").click()
    assert page.locator(".atlante-popup-nome").inner_text() == NOME_DIFFICILE
    assert [u for u in caricati if "punti.json" in u] == []
    assert [u for u in caricati if "confini.geojson" in u]
    # a comune page loads only its comune's points
    caricati.clear()
    page.goto(url + "/comuni/crema/")
    box = page.locator(".atlante-mappa[data-mappa='comune'][data-pronta='1']")
    box.wait_for(timeout=15000)
    assert NOME_DIFFICILE in box.locator(".atlante-mappa-elenco li a").all_inner_texts()
    assert [u for u in caricati if "punti.json" in u] == []
    assert [u for u in caricati if u.endswith("/mappa/comuni/019035.json")]
    page.close()


def test_page_without_maps_does_not_load_leaflet(browser, sito_mappe):
    url, _ = sito_mappe
    page = browser.new_page()
    caricati = []
    page.on("request", lambda r: caricati.append(r.url))
    page.goto(url + "/")
    page.wait_for_load_state("load")
    assert not [u for u in caricati if "leaflet" in u or "atlante-mappe" in u]
    page.close()
