"""What a record page costs a visitor, for `atlante bench` and its test: every byte Chromium
downloads for it, split into the page's own HTML, what every page of the site loads anyway (the
theme's CSS, JavaScript and fonts, the site's own stylesheet) and the rest, which is the record
page's own weight (budget: 30 KB; a small map is an inline SVG, no map library).

"Every page loads it anyway" is measured, not listed: the resources a page without maps, tables or
search results (the accessibility statement) downloads.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from atlante.strumenti.bench_ricerca import CHROMIUM, _servi

PAGINA_DI_BASE = "accessibilita/"
BUDGET_OLTRE_IL_TEMA_KB = 30


def _scaricati(page, url: str) -> dict[str, int]:
    """URL -> bytes of every response while loading `url` until the network is idle."""
    corpi: dict[str, int] = {}

    def registra(r):
        with contextlib.suppress(Exception):
            corpi[r.url.split("#")[0]] = len(r.body())

    page.on("response", registra)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.remove_listener("response", registra)
    return corpi


def byte_schede(site: Path, schede: list[str], nuova_pagina=None) -> dict[str, dict]:
    """KB downloaded by each record page (site-relative URLs, e.g. "enti/udo/x/"), split as above;
    without Chromium or Playwright, {"motivo": why} for each. `nuova_pagina`, a function returning a
    page in a fresh browser context, lets a caller that already drives Chromium (the tests) lend it."""
    if nuova_pagina is not None:
        return _misura(site, schede, nuova_pagina)
    if not os.path.exists(CHROMIUM):
        return {s: {"motivo": f"{CHROMIUM} mancante"} for s in schede}
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return {s: {"motivo": "playwright mancante (pip install -e '.[test]')"} for s in schede}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
        try:
            return _misura(site, schede, lambda: browser.new_context().new_page())
        finally:
            browser.close()


def _misura(site: Path, schede: list[str], nuova_pagina) -> dict[str, dict]:
    with _servi(site) as url:
        # a fresh context for every page: nothing comes from a cache shared with the base page
        base = _scaricati(nuova_pagina(), url + PAGINA_DI_BASE)
        return {s: _dividi(_scaricati(nuova_pagina(), url + s), url, url + s, base) for s in schede}


def _dividi(scaricati: dict[str, int], url: str, pagina: str, base: dict[str, int]) -> dict:
    html = scaricati.pop(pagina, 0)
    # a font face the base page happens not to use (italic) is still the theme's font
    del_tema = {u for u in scaricati if u in base or "/assets/fonts/" in u}
    propri = {u.removeprefix(url): b for u, b in scaricati.items() if u not in del_tema}
    return {
        "html_kb": round(html / 1024, 1),
        "comuni_a_ogni_pagina_kb": round(sum(b for u, b in scaricati.items() if u in del_tema) / 1024, 1),
        "oltre_il_tema_kb": round(sum(propri.values()) / 1024, 1),
        "oltre_il_tema": sorted(propri),
    }
