"""Last-step fixes to the theme's HTML, so that every page passes the Nu Html Checker.

- Material writes `autocomplete="off"` on its two checkbox toggles (to stop Firefox restoring
  their state); HTML allows `autocomplete` only on text-like inputs. Dropping it costs nothing.
- Material's nav writes `tabindex=""` on section labels (no value meant "not focusable by
  default"); an empty tabindex is invalid, and leaving it out means the same.
"""

from __future__ import annotations

import re

_TOGGLE_AUTOCOMPLETE = re.compile(r'(<input class="md-toggle"[^>]*type="checkbox"[^>]*?) autocomplete="off"')


_EMPTY_TABINDEX = re.compile(r'(<label class="md-nav__link[^>]*?) tabindex=""')


def correggi_html(html: str) -> str:
    html = _EMPTY_TABINDEX.sub(r"\1", _TOGGLE_AUTOCOMPLETE.sub(r"\1", html))
    if 'for="__toc"' in html and 'id="__toc"' not in html:
        html = html.replace('<label class="md-nav__title" for="__toc">', '<label class="md-nav__title">')
    return html


# Material's bundle loads a polyfill (ResizeObserver) and Mermaid from unpkg.com when the
# browser lacks them: a request to a third party that the visitor did not ask for. The built
# copies point to an empty inline script instead (ResizeObserver is in every browser since 2020;
# the site has no Mermaid diagrams).
SCRIPT_ESTERNI = ("https://unpkg.com/", "https://cdn.jsdelivr.net/")
SCRIPT_VUOTO = "data:text/javascript,//"


def senza_script_esterni(site_dir) -> list:
    """Rewrite third-party script URLs in the built theme JavaScript; the files changed."""
    import re
    from pathlib import Path

    modello = re.compile("(" + "|".join(re.escape(u) for u in SCRIPT_ESTERNI) + r")[^\"'`\s)]*")
    cambiati = []
    for f in sorted((Path(site_dir) / "assets" / "javascripts").rglob("*.js*")):
        testo = f.read_text(encoding="utf-8")
        nuovo = modello.sub(SCRIPT_VUOTO, testo)
        if nuovo != testo:
            f.write_text(nuovo, encoding="utf-8")
            cambiati.append(f)
    return cambiati
