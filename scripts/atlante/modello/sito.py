"""One build's context: the records and settings every page producer reads, and the pages it makes.

Pure Python, no MkDocs import, so that the generated pages can move to another engine.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TypeVar

from atlante.lettura.progetto import Progetto
from atlante.lettura.records import Record, load_records
from atlante.lettura.storia import Modifica, storia_git
from atlante.modello.schede import Scheda, risolvi

T = TypeVar("T")


@dataclass(frozen=True)
class Parti:
    """What tells apart the pages of one family (e.g. the records of a kind), which share the rest:
    the front-matter values (already escaped by impaginazione.testata) and the body. The build may
    stamp such a page from its family's shell (atlante.motore.stampa) instead of rendering it."""

    meta: dict
    corpo: str


@dataclass(frozen=True)
class Pagina:
    """A generated file: a Markdown page (path ends in .md) or a data/asset file."""

    path: str  # relative to the docs dir, POSIX separators
    contenuto: str | bytes
    sorgente: str | None = None  # repo-relative source file, for "Modifica questa scheda"
    parti: Parti | None = None  # the parts of contenuto, for a page that may be stamped


@dataclass
class Contesto:
    """What every producer may read. Built once per build."""

    progetto: Progetto
    config: dict  # site_url, repo_url, edit_uri and extra.atlante from mkdocs.yml (plain values)
    records: list[Record]
    oggi: dt.date = field(default_factory=dt.date.today)
    opzioni: dict = field(default_factory=dict)  # e.g. riservati_dir, password (verbali)
    generate: dict[str, Pagina] = field(default_factory=dict)  # filled by genera()
    _memo: dict = field(default_factory=dict, repr=False)
    _della_scheda: dict = field(default_factory=dict, repr=False)

    def memo(self, chiave: str, calcola: Callable[[], T]) -> T:
        """A value derived once per build by an output room (the search words, the record index,
        the map points): the model cannot import them, so they are kept here by name."""
        if chiave not in self._memo:
            self._memo[chiave] = calcola()
        return self._memo[chiave]

    def della_scheda(self, chiave: str, rec: Record, calcola: Callable[[], T]) -> T:
        """A value derived from one record alone and the reference data (its map feature, its row
        in its kind's table): kept while that record stands. The preview replaces a saved record
        with a new object, so only that record's values are derived again (sostituisci)."""
        voci = self._della_scheda.setdefault(chiave, {})
        voce = voci.get(id(rec))
        if voce is None or voce[0] is not rec:
            voce = voci[id(rec)] = (rec, calcola())
        return voce[1]

    @cached_property
    def schede(self) -> dict[int, Scheda]:
        """The resolved model of every record (see atlante.modello.schede), keyed by identity."""
        return {id(r): risolvi(self.progetto.territorio, r) for r in self.records}

    def scheda(self, rec: Record) -> Scheda:
        s = self.schede.get(id(rec))
        return s if s is not None else risolvi(self.progetto.territorio, rec)

    @cached_property
    def storia_git(self) -> list[Modifica] | None:
        """Changes to the records in git (atlante.lettura.storia), read once per build."""
        return storia_git(self.progetto.root)

    @cached_property
    def per_id(self) -> dict[str, Record]:
        return {r.id: r for r in self.records}

    def sostituisci(self, rec: Record) -> Record | None:
        """A record changed on disk (the preview): it takes the place of the one with its id, or
        joins the records; what was derived from all of them is derived again when next asked.
        Returns the record it replaced."""
        vecchio = self.per_id.get(rec.id)
        if vecchio is not None:
            self.records[self.records.index(vecchio)] = rec
            self.schede.pop(id(vecchio), None)
            for voci in self._della_scheda.values():
                voci.pop(id(vecchio), None)  # the old record is not kept alive by its values
        else:
            self.records.append(rec)
        self.schede[id(rec)] = risolvi(self.progetto.territorio, rec)
        self.per_id[rec.id] = rec
        self._memo.clear()
        return vecchio

    @property
    def territorio(self):
        return self.progetto.territorio


def contesto(
    progetto: Progetto,
    config: dict | None = None,
    includi_sintetici: bool = False,
    opzioni: dict | None = None,
    lette: list[Record] | None = None,
) -> Contesto:
    """lette: the records as load_records read them (synthetic ones included), if read already."""
    if lette is None:
        lette = load_records(progetto, include_synthetic=includi_sintetici)
    records = [
        r
        for r in lette
        if r.tipo is not None and isinstance(r.doc.data, dict) and (includi_sintetici or not r.sintetico)
    ]
    return Contesto(progetto=progetto, config=config or {}, records=records, opzioni=opzioni or {})
