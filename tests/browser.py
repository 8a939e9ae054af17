"""Headless Chromium for tests: Debian's /usr/bin/chromium driven by Playwright, never a downloaded browser.

Usage in a test module:
    from browser import browser_page, serve_site, run_axe   (fixtures `pagina`, `server` in conftest)
Every request that leaves localhost is blocked and recorded.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
AXE = Path(__file__).with_name("vendor") / "axe.min.js"


def require_browser():
    """Skip when Chromium is missing, unless CI demands it (ATLANTE_REQUIRE_BROWSER=1)."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("ATLANTE_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} mancante: installa i pacchetti Debian chromium e chromium-driver")
        pytest.skip(f"{CHROMIUM} mancante")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass

    def send_error(self, code, message=None, explain=None):
        """Like GitHub Pages: a missing page gets the site's own 404.html, with status 404."""
        pagina = Path(self.directory) / "404.html"
        if code != 404 or not pagina.is_file():
            return super().send_error(code, message, explain)
        corpo = pagina.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(corpo)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(corpo)


@contextlib.contextmanager
def serve_site(site: Path):
    """Serve a built site on 127.0.0.1 (random port) for the duration of the block."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


class Browser:
    """A Playwright browser whose pages block and record every non-local request.

    Each page keeps its own list (page.external_requests), so no assertion depends on which test
    ran before; the contexts a test opened are closed after it (fixture in conftest)."""

    def __init__(self, allowed_hosts: tuple[str, ...] = ()):
        from playwright.sync_api import sync_playwright

        self._pw = sync_playwright().start()
        self._browser = self._pw.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS, headless=True)
        self.allowed_hosts = allowed_hosts
        self._contexts: list = []

    def new_page(self, **kw):
        context = self._browser.new_context(**kw)
        self._contexts.append(context)
        page = context.new_page()
        page.external_requests = []

        def route(route):
            host = urlsplit(route.request.url).hostname or ""
            if host in ("127.0.0.1", "localhost") or route.request.url.startswith(("data:", "blob:")):
                return route.continue_()
            page.external_requests.append(route.request.url)
            return route.abort()

        page.route("**/*", route)
        return page

    def close_contexts(self):
        while self._contexts:
            self._contexts.pop().close()

    def close(self):
        self.close_contexts()
        self._browser.close()
        self._pw.stop()


WCAG21AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def run_axe(
    page, contesto=None, regole_spente=(), impacts=("serious", "critical"), best_practice: bool = False
) -> list[dict]:
    """axe-core WCAG 2.1 AA violations (plus axe's best-practice rules when asked) of the given
    impacts on the loaded page, or inside `contesto` (an axe context: a CSS selector, or
    {"include": [[selector], ...]}), with the rules named in `regole_spente` off. Fails when axe
    found nothing to check there."""
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    tags = WCAG21AA + (["best-practice"] if best_practice else [])
    result = page.evaluate(
        "async ([contesto, spente, tags]) => await axe.run(contesto || document, {runOnly: {type: 'tag', values: "
        "tags}, rules: Object.fromEntries(spente.map(r => [r, {enabled: false}]))})",
        [contesto, list(regole_spente), tags],
    )
    assert result["passes"], "axe non ha controllato nulla"
    return [v for v in result["violations"] if v.get("impact") in impacts]
