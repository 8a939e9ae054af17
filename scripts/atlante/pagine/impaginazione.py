"""Shared tools of the page families: templates, safe Markdown, JSON-LD, links between pages.

HTML lives in templates under pagine/modelli/, rendered by the one Jinja2 environment of
atlante.pagine.modelli with autoescape on: a record value can never reach the page unescaped.
The generated Markdown page is front matter plus one raw HTML block, so Python-Markdown leaves
our (already escaped) HTML alone.
"""

from __future__ import annotations

import html
import json
import re

from markupsafe import Markup

from atlante.base.formato import come_data, data_it, numero  # noqa: F401 - re-exported
from atlante.modello.percorsi import link, url_di  # noqa: F401 - re-exported
from atlante.pagine.modelli import markdown_sicuro, rendi  # noqa: F401 - re-exported

_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def json_ld(obj) -> Markup:
    """JSON for a <script type="application/ld+json">: no value can close the script tag."""
    testo = json.dumps(obj, ensure_ascii=False, indent=None, separators=(",", ":"), default=str)
    for ch, esc in _JSON_ESCAPES.items():
        testo = testo.replace(ch, esc)
    return Markup(testo)


def testata(
    titolo: str,
    descrizione: str | None = None,
    nascondi: tuple = (),
    fuori_ricerca: bool = False,
    altri: dict | None = None,
) -> dict:
    """A generated page's front-matter values. Material prints meta.title and meta.description into
    <title>, the header and <meta> without escaping, so they are stored HTML-escaped here (the
    stamped record pages, atlante.motore.stampa, write these same values into their shell).
    fuori_ricerca: the search index leaves the page out (site_overrides/main.html reads it).
    altri: further keys for our own templates (e.g. atlante_feed), which autoescape them."""
    meta: dict = {"title": html.escape(titolo, quote=True)}
    if descrizione:
        meta["description"] = html.escape(" ".join(descrizione.split())[:300], quote=True)
    if nascondi:
        meta["hide"] = list(nascondi)
    if fuori_ricerca:
        meta["search"] = {"exclude": True}
    meta.update(altri or {})
    return meta


def pagina_md(
    titolo: str,
    corpo: str,
    descrizione: str | None = None,
    nascondi: tuple = (),
    fuori_ricerca: bool = False,
    altri: dict | None = None,
) -> str:
    """The one front-matter writer: front matter (testata) + the page's body (one raw HTML block, or
    Markdown whose values were escaped with md_testo)."""
    return testo_pagina(testata(titolo, descrizione, nascondi, fuori_ricerca, altri), corpo)


def testo_pagina(meta: dict, corpo: str) -> str:
    """A Markdown page from front-matter values made by testata and its body."""
    return f"---\n{front_matter(meta)}---\n\n{corpo.strip()}\n"


# Characters YAML does not allow raw in a double-quoted scalar (or reads as line breaks) that JSON
# leaves raw: C1 controls, NEL, the Unicode line/paragraph separators, BOM and non-characters.
_NON_YAML = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")


def yaml_scalare(valore) -> str:
    """A value as YAML flow text: JSON (a subset of YAML) with what YAML reads differently escaped."""
    testo = json.dumps(valore, ensure_ascii=False, separators=(", ", ": "))
    return _NON_YAML.sub(lambda m: f"\\u{ord(m.group()):04x}", testo)


def front_matter(meta: dict) -> str:
    """Front matter lines for plain values (a few times faster than yaml.safe_dump: one per page)."""
    return "".join(f"{k}: {yaml_scalare(v)}\n" for k, v in meta.items())
