"""The service finder, "Cerca un servizio" (enti/): a search box with filters, "vicino a me" and
"aperto ora" run by site_overrides/assets/javascripts/atlante-ricerca.js over the Pagefind index,
and, for everyone (also without JavaScript), the plain lists of records by kind, comune, tema.

Filter values and their counts are written here at build time from the same rule that tags the
record pages (ricerca.filtri_scheda): the page shows them before any search data is downloaded.
"""

from __future__ import annotations

from collections import Counter

from atlante.modello.percorsi import link
from atlante.modello.sito import Contesto
from atlante.pagine.impaginazione import rendi
from atlante.pagine.indici import elenchi
from atlante.pagine.ricerca import filtri_scheda, pagina_cercabile

DA = "enti/index.md"
GRUPPI = [
    ("tipo", "Tipo di scheda"),
    ("tipologia", "Tipo di servizio"),
    ("comune", "Comune"),
    ("sub-ambito", "Sub-ambito"),
    ("tema", "Tema"),
    ("destinatari", "Per chi"),
]


def cercatore(ctx: Contesto):
    conteggi: dict[str, Counter] = {k: Counter() for k, _ in GRUPPI}
    for rec in ctx.records:
        for k, v in dict.fromkeys(filtri_scheda(ctx, rec)):
            if k in conteggi:
                conteggi[k][v] += 1
    gruppi = [
        {
            "chiave": k,
            "titolo": titolo,
            "valori": sorted(conteggi[k].items(), key=lambda kv: kv[0].casefold()),
        }
        for k, titolo in GRUPPI
        if conteggi[k]
    ]
    comuni = sorted(
        (c for c in ctx.territorio.comuni.values() if c.sub_ambito is not None), key=lambda c: c.nome.casefold()
    )
    corpo = rendi(
        "cercatore.html",
        gruppi=gruppi,
        tipi=sorted(conteggi["tipo"]),
        comuni=[{"nome": c.nome, "lat": f"{c.lat:.5f}", "lon": f"{c.lon:.5f}"} for c in comuni],
        totale=len(ctx.records),
        voci=elenchi(ctx, DA),
        glossario=link(DA, "glossario.md"),
    )
    yield pagina_cercabile(
        DA,
        "Cerca un servizio",
        corpo,
        "Cerca servizi, enti e biblioteche dell'Ambito per parola, comune, tipo, vicino a te e aperti ora.",
        indicizzata=False,
    )
