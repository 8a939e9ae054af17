"""Checks of a news post: its front matter against data/schemas/notizia.schema.json (required
fields, a real date, a known category, lengths), and a text under it."""

from __future__ import annotations

from atlante.base.problems import Problem
from atlante.lettura.frontmatter import Controllo, PaginaFM, scelto
from atlante.lettura.notizie import SCHEMA, file_news, leggi_notizia
from atlante.lettura.progetto import Progetto
from atlante.validazione.schema_pagine import controlla_schema
from atlante.validazione.testo import controlla_testi
from atlante.validazione.verbali import come_bozza


def controlla_notizia(progetto: Progetto, pagina: PaginaFM) -> list[Problem]:
    c = Controllo(pagina)
    if not pagina.data:
        return c.problems
    c.problems.extend(controlla_schema(progetto, SCHEMA, pagina))
    controlla_testi(c, pagina)
    if not pagina.corpo.strip():
        c.add((), "la notizia non ha testo dopo l'intestazione", riga=pagina.riga_corpo)
    return c.problems


def valida_notizie(progetto: Progetto, wanted) -> list[Problem]:
    return [
        p
        for f in file_news(progetto)
        if scelto(f, wanted)
        for p in (lambda pagina: come_bozza(pagina, controlla_notizia(progetto, pagina)))(leggi_notizia(progetto, f))
    ]
