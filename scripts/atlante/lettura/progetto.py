"""Where things are in a project checkout, and the reference data loaded once."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import yaml

from atlante.lettura.lessico import Lessico, leggi_lessico
from atlante.lettura.territorio import Territorio


@dataclass(frozen=True)
class Tipo:
    """A kind of entity: its id, its folder under data/enti/ and its schema."""

    id: str
    cartella: str
    schema: str
    etichetta: str
    etichetta_plurale: str
    campo_tipo: str  # the field that says which sort of it a record is (the "Tipo" column of the indexes)


TIPI: dict[str, Tipo] = {
    t.id: t
    for t in [
        Tipo("ets", "ets", "ets.schema.json", "Ente del Terzo Settore", "Enti del Terzo Settore", "forma_giuridica"),
        Tipo("biblioteca", "biblioteche", "biblioteca.schema.json", "Biblioteca", "Biblioteche", "tipo"),
        Tipo("udo", "udo", "udo.schema.json", "Unità di Offerta", "Unità di Offerta", "tipologia"),
        Tipo("patto", "patti", "patto.schema.json", "Patto di Comunità", "Patti di Comunità", "tipologia"),
        Tipo("servizio", "servizi", "servizio.schema.json", "Servizio", "Servizi", "tipologia"),
    ]
}
TIPO_PER_CARTELLA = {t.cartella: t for t in TIPI.values()}
# Pages with a front matter under content/<cartella>/, described by a schema like the records.
TIPI_PAGINE: dict[str, Tipo] = {
    "verbale": Tipo("verbale", "verbali", "verbale.schema.json", "Verbale", "Verbali", "organo"),
    "notizia": Tipo("notizia", "news", "notizia.schema.json", "Notizia", "Notizie", "categoria"),
}
TASSONOMIE_SCHEMA = "tassonomie.schema.json"


class ProgettoNonTrovato(Exception):
    pass


def trova_radice(start: Path | None = None) -> Path:
    """The project root: the nearest parent holding mkdocs.yml and data/ (like git finds .git)."""
    here = (start or Path.cwd()).resolve()
    for d in (here, *here.parents):
        if (d / "mkdocs.yml").is_file() and (d / "data").is_dir():
            return d
    raise ProgettoNonTrovato(
        f"nessun progetto Atlante trovato in {here} o nelle cartelle superiori "
        "(serve una cartella con mkdocs.yml e data/); usa --root PERCORSO"
    )


@dataclass(eq=False)  # hashable by identity: caches key on it
class Progetto:
    root: Path

    def __post_init__(self):
        self.root = Path(self.root).resolve()

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def enti_dir(self) -> Path:
        return self.data_dir / "enti"

    @property
    def schemas_dir(self) -> Path:
        return self.data_dir / "schemas"

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @cached_property
    def territorio(self) -> Territorio:
        return Territorio.load(self.data_dir)

    @cached_property
    def tassonomie(self) -> dict[str, list[dict]]:
        """Each taxonomy of data/schemas/tassonomie.schema.json as a list of {id, nome, ...}:
        the schema's enum gives the ids, x-etichette their Italian names, x-attributi the rest."""
        defs = self.schemas.get(TASSONOMIE_SCHEMA, {}).get("$defs", {})
        return {
            nome: [
                {"id": v, "nome": d.get("x-etichette", {}).get(v, v), **d.get("x-attributi", {}).get(v, {})}
                for v in d.get("enum", [])
            ]
            for nome, d in defs.items()
        }

    def tassonomia(self, nome: str) -> dict[str, dict]:
        return {v["id"]: v for v in self.tassonomie.get(nome, [])}

    @cached_property
    def lessico(self) -> Lessico:
        """data/sinonimi.yml and data/glossario.yml (atlante.lettura.lessico)."""
        return leggi_lessico(self.data_dir)

    @cached_property
    def organi(self) -> dict[str, dict]:
        path = self.data_dir / "organi.yml"
        items = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else []
        return {o["id"]: o for o in items or []}

    @cached_property
    def fonti(self) -> list[dict]:
        """The known sources of the records (data/fonti.yml): title, publisher, licence, attribution."""
        path = self.data_dir / "fonti.yml"
        return (yaml.safe_load(path.read_text(encoding="utf-8")) or []) if path.exists() else []

    @cached_property
    def schemas(self) -> dict[str, dict]:
        return {
            p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(self.schemas_dir.glob("*.schema.json"))
        }

    def rel(self, path: Path) -> str:
        """Path as shown in messages: relative to the root when inside it."""
        if path.is_absolute() and path.parts[: len(self.root.parts)] == self.root.parts:
            return path.relative_to(self.root).as_posix()  # no filesystem access: hot path
        try:
            return os.path.relpath(path.resolve(), self.root)
        except ValueError:  # other drive on Windows
            return str(path)
