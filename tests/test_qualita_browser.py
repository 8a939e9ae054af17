"""Issue 8: axe-core on one page of every kind (whole page, theme included) and no third-party request."""

from __future__ import annotations

from urllib.parse import urlsplit

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
}


@pytest.fixture(scope="module")
def tile_host(sito):
    import yaml

    from aiuti import ROOT

    cfg = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    return urlsplit(cfg["extra"]["atlante"]["tiles_url"].replace("{s}", "a")).hostname


@pytest.mark.parametrize("kind", list(PAGE_KINDS))
def test_page_kind_accessible_and_private(kind, browser, server, sito, tile_host):
    url = PAGE_KINDS[kind]
    assert (sito / url.strip("/") / "index.html").is_file() or url == "/", url
    page = browser.new_page()
    response = page.goto(server + url)
    assert response.ok
    page.wait_for_load_state("networkidle")
    violations = run_axe(page)
    page.close()
    summary = [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}" for v in violations]
    assert summary == [], f"{kind}: {summary}"
    third_party = [u for u in page.external_requests if urlsplit(u).hostname != tile_host]
    assert third_party == [], f"{kind}: richieste a terzi {third_party}"
