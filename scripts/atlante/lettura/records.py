"""Records: one YAML file per entity under data/enti/<cartella>/<id>.yml."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from atlante.lettura.progetto import TIPI, TIPO_PER_CARTELLA, Progetto, Tipo
from atlante.lettura.yamlfile import YamlDoc, read_yaml

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SCHEMA_LINE = "# yaml-language-server: $schema=../../schemas/{schema}"


@dataclass
class Record:
    id: str
    tipo: Tipo
    path: Path
    display: str  # path as shown in messages
    doc: YamlDoc

    @cached_property  # read for every field of every page; doc.data is set once, by read_yaml
    def data(self) -> dict:
        return self.doc.data if isinstance(self.doc.data, dict) else {}

    def get(self, key, default=None):
        return self.data.get(key, default)

    @property
    def nome(self) -> str:
        nome = self.data.get("nome")
        return nome if isinstance(nome, str) else self.id

    @property
    def sintetico(self) -> bool:
        return self.data.get("sintetico") is True


def record_files(progetto: Progetto) -> list[Path]:
    """Every file under data/enti/<kind folder>/, sorted, whatever its extension.

    The order of sorting the paths, found faster: a directory entry knows if it is a file without
    a stat (links are followed, as Path.is_file does), and (folder, name) pairs compare as the
    paths do, which share everything before the folder (0.11 instead of 0.13 s at 10,000 files)."""
    coppie = []
    for tipo in TIPI.values():
        folder = progetto.enti_dir / tipo.cartella
        try:
            with os.scandir(folder) as voci:
                coppie.extend((tipo.cartella, v.name) for v in voci if not v.name.startswith(".") and v.is_file())
        except (FileNotFoundError, NotADirectoryError):
            continue
    coppie.sort()
    return [progetto.enti_dir / cartella / nome for cartella, nome in coppie]


def tipo_of(progetto: Progetto, path: Path) -> Tipo | None:
    """The kind of a record file from its folder (data/enti/<cartella>/<file>)."""
    if path.parent.parent == progetto.enti_dir:  # cheap common case, no filesystem access
        return TIPO_PER_CARTELLA.get(path.parent.name)
    try:
        rel = path.resolve().relative_to(progetto.enti_dir.resolve())
    except ValueError:
        return None
    return TIPO_PER_CARTELLA.get(rel.parts[0]) if len(rel.parts) == 2 else None


def load_record(progetto: Progetto, path: Path, tipo: Tipo | None = None) -> Record:
    tipo = tipo or tipo_of(progetto, path)
    display = progetto.rel(path)
    return Record(id=path.stem, tipo=tipo, path=path, display=display, doc=read_yaml(path, display))


def load_records(progetto: Progetto, include_synthetic: bool = True) -> list[Record]:
    """All records that parse as a mapping (problems stay on record.doc.problems)."""
    recs = [load_record(progetto, p) for p in record_files(progetto) if p.suffix == ".yml" and ID_RE.match(p.stem)]
    if not include_synthetic:
        recs = [r for r in recs if not r.sintetico]
    return recs
