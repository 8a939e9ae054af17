"""The resolved model: each record once, with what every output needs already decided.

Made once per build after validation (Contesto.schede). Pages, maps, open data, feeds and search
read a record's comuni, URL and publication state from here, so they cannot disagree: `comune:
CREMA` is Crema everywhere; a patto listing a comune twice (under its name and an alias) has it
once; a patto's own `comune`, when given, is one of its comuni.
"""

from __future__ import annotations

from dataclasses import dataclass

from atlante.lettura.records import Record
from atlante.lettura.territorio import Comune, Territorio
from atlante.modello import percorsi


def lista(v) -> list:
    if v is None:
        return []
    return v if isinstance(v, list) else [v]


def pubblicata(rec: Record) -> bool:
    """Synthetic records (tests, benchmarks) are never published."""
    return not rec.sintetico and rec.tipo is not None


@dataclass(frozen=True, eq=False)
class Scheda:
    record: Record
    comuni: tuple[Comune, ...]  # canonical, in the record's order, each once
    comune: Comune | None  # the comune of a place (None for a patto)

    @property
    def id(self) -> str:
        return self.record.id

    @property
    def tipo(self):
        return self.record.tipo

    @property
    def nome(self) -> str:
        return self.record.nome

    @property
    def pagina(self) -> str:
        return percorsi.pagina_scheda(self.tipo, self.id)

    @property
    def url(self) -> str:
        return percorsi.url_di(self.pagina)

    @property
    def sorgente(self) -> str:
        return percorsi.sorgente_scheda(self.tipo, self.id)

    @property
    def pubblicata(self) -> bool:
        return pubblicata(self.record)

    @property
    def istat(self) -> list[str]:
        return [c.istat for c in self.comuni]


def comuni_della_scheda(territorio: Territorio, rec: Record) -> tuple[Comune, ...]:
    """A record's comuni resolved by official name or alias, duplicates dropped: a place's
    `comune`; a patto's `comuni`, plus its `comune` when it has one."""
    nomi = lista(rec.get("comune"))
    if rec.tipo is not None and rec.tipo.id == "patto":
        nomi = lista(rec.get("comuni")) + nomi
    visti: dict[str, Comune] = {}
    for n in nomi:
        c = territorio.trova(n)
        if c is not None and c.istat not in visti:
            visti[c.istat] = c
    return tuple(visti.values())


def risolvi(territorio: Territorio, rec: Record) -> Scheda:
    comuni = comuni_della_scheda(territorio, rec)
    comune = None if rec.tipo.id == "patto" else territorio.trova(rec.get("comune"))
    return Scheda(record=rec, comuni=comuni, comune=comune)
