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


_SALTA = re.compile(r"<(script|style|option|textarea|title|abbr|svg)\b.*?</\1>", re.S | re.I)
_TAG = re.compile(r"<[^>]*>")


def _sostituzione(mappa: dict[str, str]):
    if not mappa:
        return None
    alternative = "|".join(re.escape(k) for k in sorted(mappa, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])({alternative})(?![\w-])")


def spiega_sigle(pagina: str, mappa: dict[str, str], _cache: dict = {}) -> str:  # noqa: B006 - compiled once
    """Wrap the glossary's acronyms in the page's <article> in <abbr title>."""
    if not mappa:
        return pagina
    inizio = pagina.find('<article class="md-content__inner')
    fine = pagina.find("</article>", inizio)
    if inizio < 0 or fine < 0:
        return pagina
    chiave = tuple(sorted(mappa.items()))
    if chiave not in _cache:
        _cache.clear()
        _cache[chiave] = _sostituzione(mappa)
    rx = _cache[chiave]
    titoli = {k: html.escape(v, quote=True) for k, v in mappa.items()}

    def nel_testo(testo: str) -> str:
        return rx.sub(lambda m: f'<abbr title="{titoli[m.group(1)]}">{m.group(1)}</abbr>', testo)

    def segmento(s: str) -> str:
        out, pos = [], 0
        for t in _TAG.finditer(s):
            out.append(nel_testo(s[pos : t.start()]))
            out.append(t.group())
            pos = t.end()
        out.append(nel_testo(s[pos:]))
        return "".join(out)

    corpo = pagina[inizio:fine]
    out, pos = [], 0
    for m in _SALTA.finditer(corpo):
        out.append(segmento(corpo[pos : m.start()]))
        out.append(m.group())
        pos = m.end()
    out.append(segmento(corpo[pos:]))
    return pagina[:inizio] + "".join(out) + pagina[fine:]
