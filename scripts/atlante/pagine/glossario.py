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


def spiega_sigle(pagina: str, mappa: dict[str, str], _cache: dict = {}) -> str:  # noqa: B006 - compiled once
    """Wrap the glossary's acronyms in the text of the page's <article> in <abbr title>."""
    if not mappa:
        return pagina
    inizio = pagina.find('<article class="md-content__inner')
    fine = pagina.find("</article>", inizio)
    if inizio < 0 or fine < 0:
        return pagina
    # one build passes the same dict for every page: prepare once, again only when it changes
    voce = _cache.get("mappa")
    if voce is None or voce[0] != mappa:
        # at one place the longest acronym wins; one with "<" or ">" is never text in HTML
        ordine = [k for k in sorted(mappa, key=len, reverse=True) if "<" not in k and ">" not in k]
        titoli = {k: html.escape(v, quote=True) for k, v in mappa.items()}
        voce = (dict(mappa), ordine, titoli, *_ricerca_delle_sigle(ordine))
        _cache["mappa"] = voce
    _, ordine, titoli, tutte, sovrapposte = voce
    corpo = pagina[inizio:fine]
    presenti = _presenti(corpo, ordine, tutte, sovrapposte)
    if not presenti:
        return pagina  # most pages: a substring search is many times faster than any scan
    out, pos = [], 0
    for inizio_sigla, fine_sigla, dentro_un_tag in _sigle(corpo, presenti):
        if not dentro_un_tag:
            out += [corpo[pos:inizio_sigla], f'<abbr title="{titoli[corpo[inizio_sigla:fine_sigla]]}">']
            out += [corpo[inizio_sigla:fine_sigla], "</abbr>"]
            pos = fine_sigla
    if not out:
        return pagina
    out.append(corpo[pos:])
    return pagina[:inizio] + "".join(out) + pagina[fine:]


def _ricerca_delle_sigle(ordine: list[str]) -> tuple[re.Pattern | None, dict[str, set[str]]]:
    """For _presenti: one pattern for all the acronyms (longest first), and for each acronym the
    others that can overlap it in a text (one holds the other, or one ends as the other begins)."""
    if not ordine:
        return None, {}

    def sovrapponibili(a: str, b: str) -> bool:
        return a in b or b in a or any(a.endswith(b[:n]) or b.endswith(a[:n]) for n in range(1, min(len(a), len(b))))

    tutte = re.compile("|".join(re.escape(k) for k in ordine))
    return tutte, {k: {x for x in ordine if x != k and sovrapponibili(k, x)} for k in ordine}


def _presenti(corpo: str, ordine: list[str], tutte: re.Pattern | None, sovrapposte: dict[str, set[str]]) -> list[str]:
    """[k for k in ordine if k in corpo], in one scan: the pattern finds every acronym present but
    those whose every occurrence overlaps a match of another (its scan goes on after a match);
    only those, when such another was found, are looked for one by one (test_ricerca.py compares)."""
    if tutte is None:
        return []
    trovate = set(tutte.findall(corpo))
    if not trovate:
        return []
    return [k for k in ordine if k in trovate or (not sovrapposte[k].isdisjoint(trovate) and k in corpo)]


_SALTI = re.compile(_SALTA)
_PAROLA = re.compile(r"[\w-]")


def _sigle(corpo: str, ordine: list[str]):
    """The acronyms of `ordine` (longest first) that are whole words (not after or before a letter,
    digit or hyphen) outside the regions left alone, left to right, as (start, end, inside a tag).

    The same matches as one scan with the regex `_SALTA | (?<![\\w-])(sigle)(?![\\w-])`, found with
    substring searches: that scan tries every acronym at every character of the page
    (tests/test_ricerca.py compares the two)."""
    salti = [m.span() for m in _SALTI.finditer(corpo)]  # no acronym holds a "<": none starts inside one
    candidati = []
    for rango, k in enumerate(ordine):
        i = corpo.find(k)
        while i >= 0:
            candidati.append((i, rango, k))
            i = corpo.find(k, i + 1)
    candidati.sort()
    pos = dopo_salto = s = 0
    for inizio, _, k in candidati:
        while s < len(salti) and salti[s][0] < inizio:
            if salti[s][0] >= pos:
                pos = dopo_salto = salti[s][1]
            s += 1
        fine = inizio + len(k)
        if inizio < pos or (inizio > 0 and _PAROLA.match(corpo, inizio - 1)) or _PAROLA.match(corpo, fine):
            continue
        # inside a tag (an attribute value): not text
        yield inizio, fine, corpo.rfind("<", dopo_salto, inizio) > corpo.rfind(">", dopo_salto, inizio)
        pos = fine
