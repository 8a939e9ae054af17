"""axe-core on one page of every kind (whole page, theme included, WCAG 2.1 AA and axe's best
practices) at phone and desktop width, and no request leaves the site before the visitor asks for
the map background."""

from __future__ import annotations

import pytest

from browser import run_axe

pytestmark = pytest.mark.browser

# One page per kind, as site-relative URLs; each must exist in the shipped site.
PAGE_KINDS = {
    "home": "/",
    "cerca un servizio": "/enti/",
    "indice ETS": "/enti/ets/",
    "indice biblioteche": "/enti/biblioteche/",
    "indice UdO": "/enti/udo/",
    "indice patti": "/enti/patti/",
    "scheda ETS": "/enti/ets/fondazione-l-oasi-onlus/",
    "scheda biblioteca": "/enti/biblioteche/biblioteca-comunale-crema/",
    "scheda UdO": "/enti/udo/cure-intermedie-brunenghi/",
    "indice servizi": "/enti/servizi/",
    "scheda servizio": "/enti/servizi/caritas-casa-della-carita/",
    "scheda patto": "/enti/patti/patto-d-ambito-2023/",
    "comune": "/comuni/crema/",
    "sub-ambito": "/sub-ambiti/soncino/",
    "tema": "/temi/anziani/",
    "mappa": "/mappa/",
    "archivio verbali": "/verbali/",
    "verbale": "/verbali/2024-10-18-collegio-dei-sindaci/",
    "organo": "/verbali/organi/collegio-dei-sindaci/",
    "notizie": "/news/",
    "feed": "/feed/",
    "dati aperti": "/dati-aperti/",
    "la rete in numeri": "/numeri/",
    "aggiorna la tua scheda": "/partecipa/aggiorna-la-tua-scheda/",
    "guida ai campi": "/partecipa/campi-ets/",
    "accessibilità": "/accessibilita/",
    "chi siamo": "/chi-siamo/",
    "contatti": "/contatti/",
    "privacy": "/privacy/",
    "note legali": "/note-legali/",
    "pagina non trovata": "/non-esiste/",
}
LARGHEZZE = {"telefono": (390, 844), "desktop": (1366, 900)}


# Every kind at desktop width; at phone width the kinds whose layout changes (tables that scroll,
# the map, the record page, the header): the suite stays within its time budget.
AL_TELEFONO = [
    "home",
    "scheda UdO",
    "scheda patto",
    "tema",
    "sub-ambito",
    "mappa",
    "la rete in numeri",
    "guida ai campi",
    "feed",
    "verbale",
    "contatti",
    "pagina non trovata",
]
CASI = [(k, "desktop") for k in PAGE_KINDS] + [(k, "telefono") for k in AL_TELEFONO]


@pytest.mark.parametrize(("kind", "schermo"), CASI)
def test_page_kind_accessible_and_private(kind, schermo, browser, server, sito):
    url = PAGE_KINDS[kind]
    w, h = LARGHEZZE[schermo]
    page = browser.new_page(viewport={"width": w, "height": h})
    response = page.goto(server + url)
    if kind == "pagina non trovata":
        assert response.status == 404 and "Pagina non trovata" in page.title() + page.inner_text("h1")
    else:
        assert response.ok, url
    page.wait_for_load_state("networkidle")
    violations = run_axe(page, best_practice=True)
    page.close()
    summary = [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}" for v in violations]
    assert summary == [], f"{kind} ({schermo}): {summary}"
    # nothing at all leaves the site, map tiles included, until the visitor asks for the background
    assert page.external_requests == [], f"{kind}: richieste a terzi {page.external_requests}"


def test_record_pages_load_little_beyond_the_theme(sito, browser):
    """Issue 17's budget, measured as `atlante bench` measures it (same function): besides its HTML
    and what every page loads, a record page downloads at most 30 KB, and no map library."""
    from atlante.strumenti.bench_pagine import BUDGET_OLTRE_IL_TEMA_KB, byte_schede

    schede = [PAGE_KINDS[k].lstrip("/") for k in PAGE_KINDS if k.startswith("scheda ")]
    for scheda, peso in byte_schede(sito, schede, browser.new_page).items():
        assert "motivo" not in peso, peso
        assert peso["oltre_il_tema_kb"] <= BUDGET_OLTRE_IL_TEMA_KB, (scheda, peso)
        assert not [u for u in peso["oltre_il_tema"] if "leaflet" in u or "geojson" in u], peso
        assert 5 < peso["html_kb"] <= 60 and peso["comuni_a_ogni_pagina_kb"] > 100, (scheda, peso)
