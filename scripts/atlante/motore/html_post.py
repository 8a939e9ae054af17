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
