"""Checks of a news post: required fields, a real date, a known category, lengths."""

from __future__ import annotations

from atlante.base.problems import Problem
from atlante.lettura.frontmatter import Controllo, PaginaFM, scelto
from atlante.lettura.notizie import CAMPI, CATEGORIE, file_news, leggi_notizia
from atlante.lettura.progetto import Progetto
from atlante.validazione.testo import controlla_testi


def controlla_notizia(pagina: PaginaFM) -> list[Problem]:
    c = Controllo(pagina)
    d = pagina.data
    if not d:
        return c.problems
    c.sconosciuti(d, (), CAMPI)
    c.data_reale(d, (), "data")
    titolo = c.richiesto(d, (), "titolo")
    if titolo is not None and not 3 <= len(titolo) <= 200:
        c.add(("titolo",), "il titolo deve avere tra 3 e 200 caratteri")
    cat = c.richiesto(d, (), "categoria")
    if cat is not None and cat not in CATEGORIE:
        c.add(("categoria",), f"categoria sconosciuta '{cat}'", "categorie ammesse: " + ", ".join(CATEGORIE))
    sommario = c.richiesto(d, (), "sommario")
    if sommario is not None and len(sommario) > 400:
        c.add(("sommario",), f"il sommario è troppo lungo ({len(sommario)} caratteri, massimo 400)")
    controlla_testi(c, pagina)
    if not pagina.corpo.strip():
        c.add((), "la notizia non ha testo dopo l'intestazione", riga=pagina.riga_corpo)
    return c.problems


def valida_notizie(progetto: Progetto, wanted) -> list[Problem]:
    return [p for f in file_news(progetto) if scelto(f, wanted) for p in controlla_notizia(leggi_notizia(progetto, f))]
