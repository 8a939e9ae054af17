"""The generation step: records and reference data in, pages and data files out.

Pure Python, no MkDocs import: the hook in hooks/ hands these pages to MkDocs as generated
files, and `atlante pagine DIR` writes them to a folder so that another engine can read them.
Every producer is listed below, in the order it runs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from atlante.esportazioni.catalogo import catalogo_e_pagina
from atlante.esportazioni.dati_aperti import esportazioni
from atlante.esportazioni.feed import pagine_feed
from atlante.mappe.geodati import file_geografici
from atlante.mappe.pagina import mappa
from atlante.modello.sito import Contesto, Pagina, contesto
from atlante.pagine.cercatore import cercatore
from atlante.pagine.glossario import glossario
from atlante.pagine.guida_campi import guide_campi
from atlante.pagine.home import home
from atlante.pagine.indici import comuni, indici_per_tipo, sub_ambiti, temi
from atlante.pagine.informazioni import informazioni
from atlante.pagine.notizie import pagine_news
from atlante.pagine.numeri import pagina_numeri
from atlante.pagine.schede import schede
from atlante.pagine.verbali import pagine_verbali

__all__ = ["Contesto", "Pagina", "contesto", "genera", "scrivi", "PRODUTTORI"]

Produttore = Callable[[Contesto], Iterable[Pagina]]
# The order matters only where a producer reads what an earlier one left: the last two read
# ctx.generate (the home page, then the catalogue, which lists every data file with its size).
PRODUTTORI: list[Produttore] = [
    indici_per_tipo,
    comuni,
    sub_ambiti,
    temi,
    schede,
    cercatore,
    glossario,
    pagine_feed,
    pagine_news,
    pagine_verbali,
    esportazioni,
    pagina_numeri,
    file_geografici,
    mappa,
    guide_campi,
    informazioni,
    home,
    catalogo_e_pagina,
]


def genera(ctx: Contesto) -> list[Pagina]:
    """All generated pages, in a stable order; two producers may not claim the same path."""
    pagine = ctx.generate
    pagine.clear()
    for prod in PRODUTTORI:
        for p in prod(ctx):
            if p.path in pagine:
                raise ValueError(f"pagina generata due volte: {p.path}")
            pagine[p.path] = p
    return [pagine[k] for k in sorted(pagine)]


def scrivi(pagine: Iterable[Pagina], dest: Path) -> int:
    """Write generated pages into a folder (for engines that run no hooks)."""
    n = 0
    for p in pagine:
        out = dest / p.path
        out.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(p.contenuto, bytes):
            out.write_bytes(p.contenuto)
        else:
            out.write_text(p.contenuto, encoding="utf-8")
        n += 1
    return n
