"""The glossary (data/glossario.yml): its page, and each acronym explained where it appears.

spiega_sigle is the one rule for the second part: in the content area of every built page, an
acronym of the glossary in the text becomes <abbr title="its full name">, so that no citizen's
page shows a bare acronym (screen readers and a pointer show the full name). Text inside
scripts, styles, SVG, <option>, <textarea>, <title> and existing <abbr> is left alone.
"""

from __future__ import annotations

import html
import re

from atlante.modello.sito import Contesto
from atlante.pagine.impaginazione import rendi
from atlante.pagine.ricerca import pagina_cercabile

DA = "glossario.md"


def sigle(voci: list[dict]) -> dict[str, str]:
    """Acronym -> full name, for the glossary entries that have a `nome`."""
    return {v["termine"]: v["nome"] for v in voci if isinstance(v.get("nome"), str) and v["nome"].strip()}


def glossario(ctx: Contesto):
    voci = sorted(ctx.progetto.lessico.glossario, key=lambda v: v["termine"].casefold())
    corpo = rendi("glossario.html", voci=voci, fonte=ctx.progetto.lessico.fonte_glossario)
    yield pagina_cercabile(DA, "Glossario", corpo, "Le parole dei servizi sociali spiegate in italiano semplice.")


# Left alone: scripts, styles, <option>, <textarea>, <title>, existing <abbr> and SVG, as a whole.
_SALTA = r"(?is:<(?P<salta>script|style|option|textarea|title|abbr|svg)\b.*?</(?P=salta)>)"


def _sostituzione(mappa: dict[str, str]):
    """One scan finds the regions to leave alone and the acronyms (a whole word, not after or
    before a hyphen): only acronyms cost Python work, not every tag of the page."""
    if not mappa:
        return None
    alternative = "|".join(re.escape(k) for k in sorted(mappa, key=len, reverse=True))
    return re.compile(rf"{_SALTA}|(?<![\w-])(?P<sigla>{alternative})(?![\w-])")


def spiega_sigle(pagina: str, mappa: dict[str, str], _cache: dict = {}) -> str:  # noqa: B006 - compiled once
    """Wrap the glossary's acronyms in the text of the page's <article> in <abbr title>."""
    if not mappa:
        return pagina
    inizio = pagina.find('<article class="md-content__inner')
    fine = pagina.find("</article>", inizio)
    if inizio < 0 or fine < 0:
        return pagina
    # one build passes the same dict for every page: compile once, again only when it changes
    voce = _cache.get("mappa")
    if voce is None or voce[0] != mappa:
        voce = (dict(mappa), _sostituzione(mappa), {k: html.escape(v, quote=True) for k, v in mappa.items()})
        _cache["mappa"] = voce
    _, rx, titoli = voce
    corpo = pagina[inizio:fine]
    if not any(k in corpo for k in mappa):
        return pagina  # most pages: a substring search is many times faster than the scan
    out, pos, dopo_salto = [], 0, 0
    for m in rx.finditer(corpo):
        sigla = m.group("sigla")
        if sigla is None:
            dopo_salto = m.end()
            continue
        if corpo.rfind("<", dopo_salto, m.start()) > corpo.rfind(">", dopo_salto, m.start()):
            continue  # inside a tag (an attribute value): not text
        out += [corpo[pos : m.start()], f'<abbr title="{titoli[sigla]}">{sigla}</abbr>']
        pos = m.end()
    if not out:
        return pagina
    out.append(corpo[pos:])
    return pagina[:inizio] + "".join(out) + pagina[fine:]
