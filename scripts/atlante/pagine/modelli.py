"""The one rendering path of the generated pages: one Jinja2 environment, the escapers, the markdown.

Every template lives in pagine/modelli/ and is rendered with autoescape on, so a value from a
record, a news post, a verbale or a setting reaches HTML only as text. Text that is Markdown by
contract (a record's `descrizione`, a reserved verbale's text) goes through `markdown_sicuro`,
which has raw HTML off. Hand-built Markdown (lists, link texts, table cells) escapes values with
`md_testo` or the `md` filter.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from jinja2 import ChainableUndefined, Environment, FileSystemLoader
from markupsafe import Markup, escape

from atlante.base.formato import data_it, del_giorno, dimensione, numero

CARTELLA_MODELLI = Path(__file__).parent / "modelli"


def md(v) -> Markup:
    """Escape for a Markdown table cell: HTML-escaped, pipes and line breaks neutralised."""
    s = str(escape(v)).replace("|", "&#124;").replace("\n", " ")
    return Markup(s)


def md_testo(s: str) -> str:
    """Plain text safe inside Markdown link text or list items (no HTML, no Markdown syntax)."""
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"([\\`*_\[\]#|!{}])", r"\\\1", s)


@lru_cache(maxsize=1)
def _markdown():
    from markdown_it import MarkdownIt

    # commonmark with html=False: raw HTML in the text is shown as text, never as markup;
    # markdown-it's validateLink already refuses javascript:, vbscript:, file: and most data: links.
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


@lru_cache(maxsize=1)
def _markdown_tabelle():
    return _markdown().__class__("commonmark", {"html": False}).enable("table")


def markdown_sicuro(testo, tabelle: bool = False) -> Markup:
    """HTML from untrusted Markdown: raw HTML off, dangerous link schemes refused."""
    if not isinstance(testo, str) or not testo.strip():
        return Markup("")
    return Markup((_markdown_tabelle() if tabelle else _markdown()).render(testo))


@lru_cache(maxsize=1)
def ambiente() -> Environment:
    env = Environment(
        loader=FileSystemLoader(CARTELLA_MODELLI),
        autoescape=True,
        undefined=ChainableUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        numero=numero, dimensione=dimensione, md=md, data_it=data_it, del_giorno=del_giorno, markdown=markdown_sicuro
    )
    return env


def rendi(nome: str, **dati) -> str:
    return ambiente().get_template(nome).render(**dati)
