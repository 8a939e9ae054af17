"""News of the Ufficio di Piano: Markdown posts under content/news/ with data, titolo, categoria,
sommario, read newest first. Checks: atlante.validazione.notizie; pages: atlante.pagine.notizie.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from atlante.lettura.frontmatter import PaginaFM, leggi
from atlante.lettura.progetto import Progetto

CARTELLA = "news"
SCHEMA = "notizia.schema.json"  # the fields and the categories with their labels: data/schemas/


def categorie(progetto: Progetto) -> dict[str, str]:
    """Category id -> Italian label, from the schema (enum and x-etichette)."""
    cat = progetto.schemas[SCHEMA]["properties"]["categoria"]
    return {c: cat.get("x-etichette", {}).get(c, c) for c in cat["enum"]}


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
    def bozza(self) -> bool:
        return self.meta.get("bozza") is True

    @property
    def path(self) -> str:
        return self.pagina.rel

    @property
    def url(self) -> str:
        return self.path[:-3] + "/"


def file_news(progetto: Progetto) -> list[Path]:
    base = progetto.content_dir / CARTELLA
    return sorted(p for p in base.glob("*.md") if p.name != "index.md") if base.is_dir() else []


def leggi_notizia(progetto: Progetto, f: Path) -> PaginaFM:
    return leggi(f, progetto.rel(f), f.relative_to(progetto.content_dir).as_posix())


def carica_news(progetto: Progetto, bozze: bool = False) -> list[Notizia]:
    """Posts, newest first; drafts (`bozza: true`) only with bozze=True."""
    out = []
    for f in file_news(progetto):
        pagina = leggi_notizia(progetto, f)
        if pagina.data.get("bozza") is True and not bozze:
            continue
        try:
            out.append(Notizia(pagina, dt.date.fromisoformat(pagina.data.get("data"))))
        except (TypeError, ValueError):
            continue
    return sorted(out, key=lambda n: (n.data, n.id), reverse=True)
