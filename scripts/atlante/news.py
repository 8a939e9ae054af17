"""News of the Ufficio di Piano: Markdown posts under content/news/ with data, titolo, categoria,
sommario. Checked like verbali, listed newest first, one page per category.

`ultime_notizie(ctx, n)` is the contract with the home page: the n newest posts as plain dicts.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from .frontmatter import Controllo, PaginaFM, data_italiana, leggi, scelto
from .genera import Contesto, Pagina, produttore
from .problems import Problem
from .progetto import Progetto
from .validazione import register

CARTELLA = "news"
CATEGORIE = {
    "piano-di-zona": "Piano di Zona",
    "governance": "Organi di governo",
    "mappatura": "Mappatura di comunità",
    "sito": "Il sito",
    "avvisi": "Avvisi e bandi",
    "eventi": "Eventi",
}
CAMPI = {"data", "titolo", "categoria", "sommario", "fonte"}


@dataclass
class Notizia:
    pagina: PaginaFM
    data: dt.date

    @property
    def meta(self) -> dict:
        return self.pagina.data

    @property
    def id(self) -> str:
        return self.pagina.id

    @property
    def titolo(self) -> str:
        return self.meta["titolo"]

    @property
    def categoria(self) -> str:
        return self.meta["categoria"]

    @property
    def sommario(self) -> str:
        return " ".join(self.meta["sommario"].split())

    @property
    def path(self) -> str:
        return self.pagina.rel

    @property
    def url(self) -> str:
        return self.path[:-3] + "/"


def file_news(progetto: Progetto) -> list[Path]:
    base = progetto.content_dir / CARTELLA
    return sorted(p for p in base.glob("*.md") if p.name != "index.md") if base.is_dir() else []


def _leggi(progetto: Progetto, f: Path) -> PaginaFM:
    return leggi(f, progetto.rel(f), f.relative_to(progetto.content_dir).as_posix())


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
    if not pagina.corpo.strip():
        c.add((), "la notizia non ha testo dopo l'intestazione", riga=pagina.riga_corpo)
    return c.problems


@register
def valida_news(progetto: Progetto, wanted) -> list[Problem]:
    return [p for f in file_news(progetto) if scelto(f, wanted)
            for p in controlla_notizia(_leggi(progetto, f))]


def carica_news(progetto: Progetto) -> list[Notizia]:
    out = []
    for f in file_news(progetto):
        pagina = _leggi(progetto, f)
        try:
            out.append(Notizia(pagina, dt.date.fromisoformat(pagina.data.get("data"))))
        except (TypeError, ValueError):
            continue
    return sorted(out, key=lambda n: (n.data, n.id), reverse=True)


def ultime_notizie(ctx: Contesto, n: int = 3) -> list[dict]:
    """The n newest posts: {titolo, data (date), data_testo, url (site-relative), sommario, categoria}."""
    return [{"titolo": x.titolo, "data": x.data, "data_testo": data_italiana(x.data), "url": x.url,
             "path": x.path, "sommario": x.sommario, "categoria": CATEGORIE[x.categoria]}
            for x in carica_news(ctx.progetto)[:n]]


def _md(s: str) -> str:
    from .verbali_pagine import md_testo

    return md_testo(s)


def _voce(da: str, x: Notizia) -> str:
    from .verbali_pagine import rel

    return (f"- **[{_md(x.titolo)}]({rel(da, x.path)})** — {data_italiana(x.data)} · "
            f"[{_md(CATEGORIE[x.categoria])}]({rel(da, f'{CARTELLA}/categorie/{x.categoria}.md')})  \n"
            f"  {_md(x.sommario)}")


@produttore
def pagine_news(ctx: Contesto):
    from .verbali_pagine import rel

    notizie = carica_news(ctx.progetto)
    for x in notizie:
        # The post page gets its date and category above the text written by hand.
        cat_link = rel(x.path, f"{CARTELLA}/categorie/{x.categoria}.md")
        fm = {"title": x.titolo, "description": x.sommario}
        testo = (f"---\n{json.dumps(fm, ensure_ascii=False)}\n---\n\n# {_md(x.titolo)}\n\n"
                 f"*{data_italiana(x.data)} · [{_md(CATEGORIE[x.categoria])}]({cat_link})*\n\n"
                 f"**{_md(x.sommario)}**\n\n{x.pagina.corpo.strip()}\n")
        if x.meta.get("fonte"):
            testo += f"\n*Fonte: {_md(x.meta['fonte'])}*\n"
        yield Pagina(x.path, testo, sorgente=x.path)
    idx = f"{CARTELLA}/index.md"
    righe = ["# Notizie\n", "Le notizie dell'Ufficio di Piano, dalla più recente. Categorie: " +
             ", ".join(f"[{_md(lbl)}]({rel(idx, f'{CARTELLA}/categorie/{cid}.md')})" for cid, lbl in CATEGORIE.items()) +
             ". Per riceverle: [feed RSS e Atom](../feed.md).\n"]
    righe += [_voce(idx, x) for x in notizie] or ["Nessuna notizia pubblicata."]
    yield Pagina(idx, "\n".join(righe) + "\n")
    for cid, lbl in CATEGORIE.items():
        path = f"{CARTELLA}/categorie/{cid}.md"
        sel = [x for x in notizie if x.categoria == cid]
        righe = [f"# Notizie: {_md(lbl)}\n"] + ([_voce(path, x) for x in sel] or ["Nessuna notizia in questa categoria."])
        righe.append(f"\n[Tutte le notizie]({rel(path, idx)})")
        yield Pagina(path, "\n".join(righe) + "\n")
