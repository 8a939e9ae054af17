"""Verbali: Markdown pages under content/verbali/ with a front matter describing the meeting.

`carica_verbali(progetto)` reads them; their checks are in atlante.validazione.verbali.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from atlante.lettura.frontmatter import PaginaFM, leggi, ora
from atlante.lettura.progetto import Progetto

CARTELLA = "verbali"
SCHEMA = "verbale.schema.json"  # the fields, their labels and rules: data/schemas/
NUMERI_VOTO = ("favorevoli", "contrari", "astenuti", "votanti")


@dataclass
class Verbale:
    pagina: PaginaFM
    organo: str
    data: dt.date
    ora_inizio: str | None
    ora_fine: str | None

    @property
    def id(self) -> str:
        return self.pagina.id

    @property
    def meta(self) -> dict:
        return self.pagina.data

    @property
    def visibilita(self) -> str:
        return self.meta.get("visibilita", "pubblico")

    @property
    def bozza(self) -> bool:
        return self.meta.get("bozza") is True

    @property
    def riservato(self) -> bool:
        return self.visibilita == "riservato"

    @property
    def path(self) -> str:
        """Page path relative to the docs dir (the generated page replaces the source one)."""
        return self.pagina.rel

    @property
    def url(self) -> str:
        return self.path[: -len(".md")] + "/"

    def titolo(self, organi: dict) -> str:
        if isinstance(self.meta.get("titolo"), str):
            return self.meta["titolo"]
        from atlante.lettura.frontmatter import del_giorno

        nome = organi.get(self.organo, {}).get("nome", self.organo)
        seduta = self.meta.get("seduta")
        return (
            f"{nome}: seduta {seduta} {del_giorno(self.data)}" if seduta else f"{nome}: seduta {del_giorno(self.data)}"
        )


def file_verbali(progetto: Progetto) -> list[Path]:
    base = progetto.content_dir / CARTELLA
    if not base.is_dir():
        return []
    return sorted(
        p for p in base.rglob("*.md") if p.name != "index.md" and "organi" not in p.relative_to(base).parts[:1]
    )


def leggi_verbale(progetto: Progetto, path: Path) -> PaginaFM:
    return leggi(path, progetto.rel(path), path.relative_to(progetto.content_dir).as_posix())


def carica_verbali(progetto: Progetto, bozze: bool = False) -> list[Verbale]:
    """Valid verbali, newest first (the build refuses invalid ones before this is called).

    Drafts (`bozza: true`, e.g. made by `atlante importa-verbale`) only with bozze=True."""
    out = []
    for f in file_verbali(progetto):
        pagina = leggi_verbale(progetto, f)
        d = pagina.data
        if d.get("bozza") is True and not bozze:
            continue
        try:
            data = dt.date.fromisoformat(d.get("data"))
        except (TypeError, ValueError):
            continue
        out.append(Verbale(pagina, d.get("organo"), data, ora(d.get("ora_inizio")), ora(d.get("ora_fine"))))
    return sorted(out, key=lambda v: (v.data, v.ora_inizio or "", v.id), reverse=True)
