"""Python-Markdown extension: a generated page that is one HTML block skips the HTML parser.

Record, index, comune and tema pages are made by Jinja templates as a single
`<div class="atlante-...">...</div>` block of HTML (impaginazione.py). Python-Markdown would run
its HTML block parser (html.parser, pure Python) over every byte only to hand the block back
unchanged: in a build of 1,000 records that parse was a quarter of the build time. Such a page is
stored as raw HTML at once, which is what Python-Markdown's own parser would end with
(tests/test_markdown_html.py compares the two on every generated page).

Only the Markdown step is skipped: other engines read the same page as ordinary Markdown.
Enabled in mkdocs.yml under markdown_extensions as `atlante.markdown_html`.
"""

from __future__ import annotations

import re

from markdown import Extension, util
from markdown.preprocessors import Preprocessor

# The wrapper every whole-HTML page template opens with (site_overrides/atlante/*.html).
APERTURA = '<div class="atlante-'
CHIUSURA = "</div>"


def pagina_tutta_html(testo: str) -> bool:
    """True for a page made of one generated HTML block: it opens with the Atlante wrapper, closes
    it on the last line, and no other top-level block starts after a blank line."""
    t = testo.strip()
    if not (t.startswith(APERTURA) and t.endswith(CHIUSURA)):
        return False
    # Python-Markdown ends a raw block at the wrapper's closing tag; the templates write every
    # inner line with its tags, so a blank line followed by text not starting with "<" would be
    # Markdown after the block: leave such pages to the real parser.
    return "\n\n" not in t or all(riga.startswith("<") for riga in _dopo_righe_vuote(t))


def _dopo_righe_vuote(t: str):
    for pezzo in t.split("\n\n")[1:]:
        pezzo = pezzo.lstrip("\n")
        if pezzo:
            yield pezzo


TAB = 4  # Python-Markdown's tab_length (MkDocs does not change it)
_RIGHE_DI_SPAZI = re.compile(r"(?<=\n) +\n")


def html_pagina_intera(corpo: str) -> str | None:
    """The HTML Python-Markdown makes of a page body that is one generated HTML block (None for any
    other body): its whitespace normalised as Python-Markdown's first preprocessor does, stripped.
    The stamped record pages (atlante.motore.stampa) take their content from here."""
    testo = _normalizza(corpo)
    return testo.strip() if pagina_tutta_html(testo) else None


def _normalizza(testo: str) -> str:
    """Python-Markdown's NormalizeWhitespace, which runs before this extension."""
    testo = testo.replace(util.STX, "").replace(util.ETX, "")
    testo = testo.replace("\r\n", "\n").replace("\r", "\n").expandtabs(TAB) + "\n\n"
    # the lookbehind scan is the costly part; without " \n" it cannot match (most pages)
    return _RIGHE_DI_SPAZI.sub("\n", testo) if " \n" in testo else testo


class _HtmlIntero(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        testo = "\n".join(lines)
        if not pagina_tutta_html(testo):
            return lines
        # Blank lines around the placeholder, as Python-Markdown's own html_block writes them.
        return ["", "", self.md.htmlStash.store(testo.strip()), "", ""]


class HtmlInteroExtension(Extension):
    def extendMarkdown(self, md):  # noqa: N802 (Python-Markdown's API name)
        # Before Python-Markdown's html_block (priority 20), after whitespace normalisation (30).
        md.preprocessors.register(_HtmlIntero(md), "atlante_html_intero", 25)


def makeExtension(**kwargs):  # noqa: N802 (Python-Markdown's entry point name)
    return HtmlInteroExtension(**kwargs)
