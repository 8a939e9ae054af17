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
    """Markers plus the counts written on the clusters, once the clusters have stopped moving
    (during an animation old and new clusters are both in the page)."""
    page.wait_for_function("() => !document.querySelector('.leaflet-cluster-anim, .leaflet-zoom-anim')")
    page.wait_for_timeout(300)
    return page.evaluate("""() => {
        const singoli = document.querySelectorAll('.leaflet-marker-icon.atlante-punto').length;
        const gruppi = [...document.querySelectorAll('.leaflet-marker-icon.marker-cluster span')]
            .reduce((n, s) => n + parseInt(s.textContent, 10), 0);
        return singoli + gruppi; }""")


def test_network_map(browser, sito_mappe):
    url, geo = sito_mappe
    page, errori = _apri(browser, url + "/mappa/")
    n = len(geo["features"])
    n_patti = sum(1 for f in geo["features"] if f["properties"]["tipo"] == "patto")
    assert n >= 8 and n_patti >= 1
    # a pact is an area, never a point in its first comune
    assert _punti_mostrati(page) == n - n_patti
    assert page.locator("#atlante-elenco tbody tr").count() == n
    assert page.get_attribute("#atlante-rete", "data-punti") == str(n)

    # toggling a layer hides exactly its points, on the map and in the list
    n_ets = sum(1 for f in geo["features"] if f["properties"]["tipo"] == "ets")
    page.get_by_label("Enti del Terzo Settore").uncheck()
    assert _punti_mostrati(page) == n - n_patti - n_ets
    assert page.locator("#atlante-elenco tbody tr").count() == n - n_ets
    page.get_by_label("Enti del Terzo Settore").check()
    assert _punti_mostrati(page) == n - n_patti

    # filters by tema and comune, without reloading
    page.evaluate("window.nonRicaricata = true")
    page.select_option("#atlante-filtro-tema", "anziani")
    attesi = [f["properties"] for f in geo["features"] if "anziani" in f["properties"]["temi"]]
    assert page.locator("#atlante-elenco tbody tr").count() == len(attesi)
    assert _punti_mostrati(page) == sum(1 for p in attesi if p["tipo"] != "patto")
    page.select_option("#atlante-filtro-tema", "")
    page.select_option("#atlante-filtro-comune", "019097")  # Soncino
    attesi = [
        f["properties"]
        for f in geo["features"]
        if "019097" in (f["properties"].get("comuni") or [f["properties"]["istat"]])
    ]
    assert 0 < len(attesi) < n
    assert page.locator("#atlante-elenco tbody tr").count() == len(attesi)
    assert _punti_mostrati(page) == sum(1 for p in attesi if p["tipo"] != "patto")
    assert page.evaluate("window.nonRicaricata") is True
    assert errori == []
    nuove = page.external_requests
    page.close()
    assert nuove == []  # no tiles until the visitor asks for the background


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
    assert page.locator("#atlante-elenco tbody tr").count() == n - n_patti
    bottone = page.locator("#atlante-elenco tbody tr", has_text=NOME_DIFFICILE).get_by_role("button")
    page.wait_for_timeout(500)  # let the clusters settle after the filter changed
    bottone.focus()
    page.keyboard.press("Enter")
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for(timeout=10000)
    # the list button opens the popup once the zoom to the point has ended: close it after that
    page.wait_for_function("() => !document.querySelector('.leaflet-zoom-anim')", timeout=10000)
    page.wait_for_timeout(300)
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
    assert page.external_requests == []


def test_comune_map_loads_only_its_points(browser, sito_mappe):
    """A comune page's small map loads the points of its comune, not the list of every point."""
    url, _ = sito_mappe
    page = browser.new_page()
    caricati = []
    page.on("request", lambda r: caricati.append(r.url))
    page.goto(url + "/comuni/crema/")
    box = page.locator(".atlante-mappa[data-mappa='comune'][data-pronta='1']")
    box.wait_for(timeout=15000)
    assert NOME_DIFFICILE in box.locator(".atlante-mappa-elenco li a").all_inner_texts()
    assert [u for u in caricati if "punti.json" in u] == []
    assert [u for u in caricati if u.endswith("/mappa/comuni/019035.json")]
    page.close()


def test_record_page_has_no_map_library(browser, sito_mappe):
    url, _ = sito_mappe
    page = browser.new_page()
    caricati = []
    page.on("request", lambda r: caricati.append(r.url))
    page.goto(url + "/enti/ets/l-arca-insieme/")
    page.wait_for_load_state("networkidle")
    assert not [u for u in caricati if "leaflet" in u or "atlante-mappe" in u or ".geojson" in u or "punti" in u]
    svg = page.locator("figure.atlante-mappa-svg svg")
    assert svg.is_visible() and svg.locator("circle").count() == 1
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


def test_background_only_on_request_and_remembered(browser, sito_mappe):
    """No third-party request until "Mostra la mappa di sfondo"; then the tiles load, and the
    choice is remembered on the device (next page, same browser context)."""
    url, _ = sito_mappe
    page, errori = _apri(browser, url + "/mappa/")
    page.wait_for_timeout(300)
    assert page.external_requests == []
    assert page.locator(".atlante-carta path.leaflet-interactive, .atlante-carta path").count() >= 48  # outlines
    bottone = page.get_by_role("button", name="Mostra la mappa di sfondo")
    assert bottone.get_attribute("aria-pressed") == "false"
    bottone.click()
    page.wait_for_timeout(500)
    assert any(TILES in u for u in page.external_requests)  # requested (and blocked by the test browser)
    assert page.get_by_role("button", name="Nascondi la mappa di sfondo").get_attribute("aria-pressed") == "true"
    # remembered: a comune page in the same browser asks for tiles on its own
    altra = page.context.new_page()
    altra.external_requests = []
    altra.route("**/*", lambda r: r.abort() if TILES in r.request.url else r.continue_())
    tiles_chieste = []
    altra.on("request", lambda r: tiles_chieste.append(r.url) if TILES in r.url else None)
    altra.goto(url + "/comuni/crema/")
    altra.wait_for_selector(".atlante-mappa[data-mappa='comune'][data-pronta='1']", timeout=15000)
    altra.wait_for_timeout(300)
    assert tiles_chieste
    # and forgotten when the visitor hides it again
    altra.get_by_role("button", name="Nascondi la mappa di sfondo").click()
    assert altra.evaluate("localStorage.getItem('atlante-sfondo')") is None
    assert errori == []
    page.close()


def test_patto_is_an_area_with_a_short_label(browser, sito_mappe):
    url, geo = sito_mappe
    patto = next(f["properties"] for f in geo["features"] if f["properties"]["tipo"] == "patto")
    page, _ = _apri(browser, url + "/mappa/")
    riga = page.locator("#atlante-elenco tbody tr", has_text=patto["nome"])
    celle = riga.locator("td").all_inner_texts()
    n = len(patto["comuni"])
    assert celle[1] == ("tutti i 48 comuni dell'Ambito" if n == 48 else f"{n} comuni")
    assert celle[2] == "area dei comuni"
    # no marker of the pact anywhere (it used to sit in its first comune)
    assert page.locator(f'.atlante-punto[title^="{patto["nome"]}"]').count() == 0
    riga.get_by_role("button").click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for(timeout=10000)
    assert patto["nome"] in popup.inner_text() and "Area:" in popup.inner_text()
    page.close()


@pytest.mark.parametrize("larghezza", [390, 1366])
def test_map_page_layout_at_phone_and_desktop_width(browser, sito_mappe, larghezza):
    url, geo = sito_mappe
    page = browser.new_page(viewport={"width": larghezza, "height": 844 if larghezza == 390 else 900})
    page.goto(url + "/mappa/?comune=019097")  # Soncino, as "Apri sulla mappa" links it
    page.wait_for_selector("#atlante-rete[data-pronta='1']", timeout=15000)
    assert page.input_value("#atlante-filtro-comune") == "019097"
    # centred on the comune: Soncino's outline is inside the visible map, not at its edge
    dentro = page.evaluate("""() => {
        const c = document.querySelector('.atlante-carta .folium-map').getBoundingClientRect();
        const p = [...document.querySelectorAll('.atlante-carta path')];
        const b = p.map(x => x.getBoundingClientRect()).filter(r => r.width > 40);
        return b.some(r => r.left >= c.left - 1 && r.right <= c.right + 1 && r.top >= c.top - 1 && r.bottom <= c.bottom + 1);
    }""")
    assert dentro
    # the name column is never squeezed into fragments by a long list of comuni
    larghezze = page.evaluate(
        "() => [...document.querySelectorAll('#atlante-elenco tbody th')].map(t => t.getBoundingClientRect().width)"
    )
    assert min(larghezze) >= 60
    if larghezza == 390:
        # on a phone the map starts above the fold
        top = page.evaluate("() => document.querySelector('.atlante-carta').getBoundingClientRect().top")
        assert top < 844
    page.close()
