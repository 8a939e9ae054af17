"""Search entries of the pages that grow with the records, made from data instead of HTML.

Material's search plugin parses every page's HTML to cut it into sections. For record pages that
parse was the largest cost of the build after the theme itself (a Python HTML parser over ~50
tags per page), and its result was poor: five entries per record, boilerplate included ("Modifica
questa scheda", "Fonte e aggiornamento"), labels glued to values ("ComuneCrema"), 1.2 KB of index
per record for a phone to download. The kind, comune and tema pages list every record again:
parsing them cost as much once more and only repeated the records' names. So these pages say
`search: {exclude: true}` in their front matter and get one entry each from here: both come from
pagina_con_voce, so a page is never left out of the index without its entry.
A record: name as title; kind, comune, sub-ambito, temi,
description, activities, addressees, services, managing body... as text. An index page: its title
and what it lists. The hook appends the entries to Material's search_index.json after the build
(aggiungi_all_indice).

Values are HTML-escaped as Material escapes the text it indexes: its search UI shows titles and
texts as HTML.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from atlante.modello.sito import Contesto, Pagina
from atlante.pagine.impaginazione import markdown_sicuro, pagina_md, url_di

_TAG = re.compile(r"<[^>]+>")


def _testo_semplice(markdown: str | None) -> str:
    """A description's words without Markdown or tags (rendered safely, then stripped)."""
    if not isinstance(markdown, str) or not markdown.strip():
        return ""
    return " ".join(html.unescape(_TAG.sub(" ", str(markdown_sicuro(markdown)))).split())


def _nomi(voci) -> list[str]:
    return [v["nome"] if isinstance(v, dict) else v for v in voci or [] if v]


def voce(location: str, titolo: str, parti: list[str]) -> dict:
    """One search entry: site-relative URL, title, paragraphs of text (escaped here)."""
    return {
        "location": location,
        "title": html.escape(titolo, quote=False),
        "text": "".join(f"<p>{html.escape(p, quote=False)}</p>" for p in parti if p),
    }


def pagina_con_voce(
    ctx: Contesto,
    da: str,
    titolo: str,
    corpo: str,
    parti: list[str],
    descrizione: str | None = None,
    sorgente: str | None = None,
) -> Pagina:
    """A generated page kept out of the engine's HTML indexing, and its search entry (title and
    `parti` as paragraphs) added to ctx.ricerca."""
    ctx.ricerca.append(voce(url_di(da), titolo, parti))
    return Pagina(da, pagina_md(titolo, corpo, descrizione, fuori_ricerca=True), sorgente=sorgente)


def parti_scheda(v: dict) -> list[str]:
    """The search text of a record page from the record's view (schede.vista), so the page and
    its entry show the same resolved names."""
    d = v["d"]
    parti: list[str] = []

    def aggiungi(etichetta: str | None, valori) -> None:
        valori = [str(x) for x in (valori if isinstance(valori, list) else [valori]) if x not in (None, "", [])]
        if valori:
            testo = ", ".join(valori)
            parti.append(f"{etichetta}: {testo}" if etichetta else testo)

    sottotitolo = [v["tipo"].etichetta, v.get("forma_giuridica"), (v.get("tipologia") or {}).get("nome")]
    aggiungi(None, " · ".join(s for s in sottotitolo if isinstance(s, str) and s))
    aggiungi(None, _testo_semplice(v.get("descrizione")))
    if isinstance(d.get("indirizzo"), str):
        aggiungi("Indirizzo", d["indirizzo"])
    aggiungi("Comune", (v.get("comune") or {}).get("nome"))
    if v["tipo"].id == "patto":
        aggiungi("Comuni", _nomi(v.get("comuni")))
    aggiungi("Sub-ambito", (v.get("sub_ambito") or {}).get("nome"))
    aggiungi("Temi", _nomi(v.get("temi")))
    for campo, etichetta in (
        ("attivita", "Attività"),
        ("prestazioni", "Che cosa offre"),
        ("destinatari", "Destinatari"),
    ):
        if isinstance(d.get(campo), list):
            aggiungi(etichetta, [x for x in d[campo] if isinstance(x, str)])
    aggiungi("Servizi", _nomi(v.get("servizi")))
    aggiungi("Ente gestore", (v.get("ente_gestore") or {}).get("nome"))
    aggiungi("Capofila", (v.get("capofila") or {}).get("nome"))
    aggiungi("Aderenti", _nomi(v.get("aderenti")))
    return parti


def aggiungi_all_indice(indice: Path, voci: list[dict]) -> None:
    """Append entries to a built Material search_index.json (no-op when search is off)."""
    if not voci or not indice.is_file():
        return
    dati = json.loads(indice.read_text(encoding="utf-8"))
    dati["docs"].extend(voci)
    indice.write_text(json.dumps(dati, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
