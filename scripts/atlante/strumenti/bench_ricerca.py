"""Search figures for `atlante bench`: Pagefind's indexing time, and the bytes a visitor's browser
downloads for a first and a second query on the service finder, measured in Chromium.

The browser is Debian's /usr/bin/chromium driven by Playwright (a test dependency, `.[test]`);
without them the byte figures are left out and the reason is printed.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import os
import threading
import time
from pathlib import Path

from atlante.motore.ricerca import CARTELLA, indicizza

CHROMIUM = "/usr/bin/chromium"
# A first query with a filter, opened as a shared link would open it; then a second query typed.
PRIMA = "enti/?q=casa+di+riposo&comune=Crema"
SECONDA = "centro diurno"


def tempo_indicizzazione(site: Path) -> float:
    """Seconds of one Pagefind run over a built site (the build already ran one: same work)."""
    return indicizza(site)


class _Silenzioso(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def _servi(site: Path):
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Silenzioso, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


def byte_query(site: Path) -> dict:
    """Bytes of the search bundle (/pagefind/) downloaded before typing, by the first query (with
    a filter) and by the second: as sent by a plain local server, and gzip-compressed (level 6)."""
    if not os.path.exists(CHROMIUM):
        return {"motivo": f"{CHROMIUM} mancante"}
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return {"motivo": "playwright mancante (pip install -e '.[test]')"}
    risposte: list[tuple[str, bytes]] = []

    def registra(r):
        if f"/{CARTELLA}/" in r.url:
            with contextlib.suppress(Exception):
                risposte.append((r.url, r.body()))

    def somma(parte: list[tuple[str, bytes]]) -> tuple[float, float]:
        corpi = [b for _, b in parte]
        piano = sum(len(b) for b in corpi)
        compresso = sum(len(gzip.compress(b, 6)) for b in corpi)
        return round(piano / 1024, 1), round(compresso / 1024, 1)

    with _servi(site) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
        try:
            page = browser.new_context().new_page()
            page.on("response", registra)
            page.goto(url + "enti/")
            page.wait_for_load_state("networkidle")
            prima_di_cercare = len(risposte)
            t0 = time.perf_counter()
            page.goto(url + PRIMA)
            page.wait_for_function(
                "() => /\\.$/.test(document.querySelector('.atlante-cercatore-stato').textContent)", timeout=60000
            )
            page.wait_for_load_state("networkidle")
            t1 = time.perf_counter() - t0
            dopo_prima = len(risposte)
            page.fill("#atlante-cercatore-q", SECONDA)
            page.wait_for_function(
                "() => /\\.$/.test(document.querySelector('.atlante-cercatore-stato').textContent)"
                " && !location.search.includes('riposo')",
                timeout=60000,
            )
            page.wait_for_load_state("networkidle")
        finally:
            browser.close()
    p1, g1 = somma(risposte[prima_di_cercare:dopo_prima])
    p2, g2 = somma(risposte[dopo_prima:])
    return {
        "prima_di_cercare_kb": somma(risposte[:prima_di_cercare])[0],
        "prima_query_kb": p1,
        "prima_query_gzip_kb": g1,
        "seconda_query_kb": p2,
        "seconda_query_gzip_kb": g2,
        "prima_query_s": round(t1, 2),
    }
