"""The generation step: records and reference data in, pages and data files out.

Pure Python, no MkDocs import: the hook in hooks/ hands these pages to MkDocs as generated
files, and `atlante pagine DIR` writes them to a folder so that another engine can read them.
Each page family lives in its own module and registers a producer with @produttore.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Callable, Iterable

from .progetto import Progetto
from .records import Record, load_records


@dataclass(frozen=True)
class Pagina:
    """A generated file: a Markdown page (path ends in .md) or a data/asset file."""
    path: str  # relative to the docs dir, POSIX separators
    contenuto: str | bytes
    sorgente: str | None = None  # repo-relative source file, for "Modifica questa scheda"


@dataclass
class Contesto:
    """What every producer may read. Built once per build."""
    progetto: Progetto
    config: dict  # site_url, repo_url, edit_uri and extra.atlante from mkdocs.yml (plain values)
    records: list[Record]
    oggi: dt.date = field(default_factory=dt.date.today)
    opzioni: dict = field(default_factory=dict)  # e.g. riservati_dir, password (verbali)
    generate: dict[str, "Pagina"] = field(default_factory=dict)  # filled by genera()
    ricerca: list[dict] = field(default_factory=list)  # search entries made from data (ricerca.py)

    @cached_property
    def per_id(self) -> dict[str, Record]:
        return {r.id: r for r in self.records}

    @property
    def territorio(self):
        return self.progetto.territorio


Produttore = Callable[[Contesto], Iterable[Pagina]]
PRODUTTORI: list[Produttore] = []
PRODUTTORI_FINALI: list[Produttore] = []  # run after all others; may read ctx.generate


def produttore(fn: Produttore | None = None, *, dopo: bool = False):
    """Register a page producer. With dopo=True it runs last and sees ctx.generate
    (every page made so far), e.g. to list the data files with their byte size."""
    def register(f: Produttore) -> Produttore:
        target = PRODUTTORI_FINALI if dopo else PRODUTTORI
        if f not in target:
            target.append(f)
        return f
    return register(fn) if fn is not None else register


def _carica_produttori() -> None:
    # One import per page family; each module registers its producers on import.
    from . import home, indici, schede  # noqa: F401  public site (issue 3)
    from . import feed, news, verbali_pagine  # noqa: F401  verbali, news, feeds (issue 5)
    from . import catalogo, dati_aperti, numeri  # noqa: F401  open data and indicators (issue 7)
    from . import geodati, mappe  # noqa: F401  maps and their GeoJSON (issue 4)
    from . import guida_campi  # noqa: F401  field guides for contributors (issue 6)


def contesto(progetto: Progetto, config: dict | None = None, includi_sintetici: bool = False,
             opzioni: dict | None = None) -> Contesto:
    records = [r for r in load_records(progetto, include_synthetic=includi_sintetici)
               if r.tipo is not None and isinstance(r.doc.data, dict)]
    return Contesto(progetto=progetto, config=config or {}, records=records, opzioni=opzioni or {})


def genera(ctx: Contesto) -> list[Pagina]:
    """All generated pages, in a stable order; two producers may not claim the same path."""
    _carica_produttori()
    pagine = ctx.generate
    pagine.clear()
    for prod in [*PRODUTTORI, *PRODUTTORI_FINALI]:
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
