"""The territory: comuni of the Ambito, their names and aliases, sub-ambiti, boundaries.

Everything comes from data/territorio/: nothing about a particular Ambito lives in code.
The ISTAT code is the comune's identity everywhere.
"""

from __future__ import annotations

import csv
import difflib
import json
import math
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import yaml

from atlante.base.segnali import importa_intero

# Metres per degree at the Ambito's latitude; good to well under 1% over a province.
_M_PER_DEG_LAT = 111_132.0


@lru_cache(maxsize=1 << 15)
def normalizza(nome: str) -> str:
    """Case-, accent- and punctuation-insensitive form of a place name (cached: comuni recur)."""
    s = unicodedata.normalize("NFKD", nome)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    s = re.sub(r"[’'`´\-_.,]", " ", s)
    return re.sub(r"\s+", " ", s).strip()


def _read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@dataclass(frozen=True)
class Comune:
    istat: str
    nome: str
    codice_catastale: str
    cap: tuple[str, ...]
    residenti: int
    lat: float
    lon: float
    bbox: tuple[float, float, float, float]  # min_lon, min_lat, max_lon, max_lat
    sito_web: str
    sub_ambito: str | None

    @cached_property  # every page links comuni; a frozen dataclass still has a __dict__ for it
    def slug(self) -> str:
        return re.sub(r"[^a-z0-9]+", "-", normalizza(self.nome)).strip("-")


@dataclass(frozen=True)
class SubAmbito:
    id: str
    numero: int
    nome: str
    ente_referente: str
    comuni: tuple[str, ...]  # ISTAT codes


@dataclass
class Territorio:
    root: Path
    ambito: dict
    comuni: dict[str, Comune]  # by ISTAT code
    sub_ambiti: dict[str, SubAmbito]
    _names: dict[str, str] = field(default_factory=dict)  # normalised name/alias -> ISTAT

    @classmethod
    def load(cls, data_dir: Path) -> Territorio:
        tdir = data_dir / "territorio"
        ambito = yaml.safe_load((tdir / "ambito.yml").read_text(encoding="utf-8"))
        rows = _read_csv(tdir / "comuni.csv")
        by_name = {normalizza(r["nome"]): r["istat"] for r in rows}
        sub_of: dict[str, str] = {}
        subs: dict[str, SubAmbito] = {}
        for s in ambito.get("sub_ambiti", []):
            codes = []
            for nome in s["comuni"]:
                code = by_name.get(normalizza(nome))
                if code is None:
                    raise ValueError(f"ambito.yml: sub-ambito {s['id']}: comune sconosciuto {nome!r}")
                codes.append(code)
                sub_of[code] = s["id"]
            subs[s["id"]] = SubAmbito(s["id"], int(s["numero"]), s["nome"], s["ente_referente"], tuple(codes))
        comuni = {}
        for r in rows:
            comuni[r["istat"]] = Comune(
                istat=r["istat"],
                nome=r["nome"],
                codice_catastale=r["codice_catastale"],
                cap=tuple(c for c in r["cap"].split("|") if c),
                residenti=int(r["residenti"] or 0),
                lat=float(r["lat"]),
                lon=float(r["lon"]),
                bbox=(
                    float(r["bbox_min_lon"]),
                    float(r["bbox_min_lat"]),
                    float(r["bbox_max_lon"]),
                    float(r["bbox_max_lat"]),
                ),
                sito_web=r["sito_web"],
                sub_ambito=sub_of.get(r["istat"]),
            )
        t = cls(root=tdir, ambito=ambito, comuni=comuni, sub_ambiti=subs)
        t._names.update(by_name)
        alias_rows = _read_csv(tdir / "alias.csv")
        alias_rows += ambito.get("alias", [])
        for a in alias_rows:
            if a["istat"] in comuni:
                t._names.setdefault(normalizza(a["alias"]), a["istat"])
        return t

    # -- names -------------------------------------------------------------
    def trova(self, nome: str) -> Comune | None:
        """The comune for an official name or known alias, ignoring case and accents."""
        if not isinstance(nome, str):
            return None
        code = self._names.get(normalizza(nome))
        return self.comuni.get(code) if code else None

    def suggerisci(self, nome: str) -> str | None:
        """The official name of the nearest-spelled comune, for 'forse intendevi ...?'."""
        match = difflib.get_close_matches(normalizza(str(nome)), list(self._names), n=1, cutoff=0.75)
        return self.comuni[self._names[match[0]]].nome if match else None

    def comune_per_slug(self, slug: str) -> Comune | None:
        return next((c for c in self.comuni.values() if c.slug == slug), None)

    # -- geometry ----------------------------------------------------------
    @cached_property
    def contatti(self) -> dict[str, dict]:
        """The Comune's own public contacts by ISTAT code (contatti_comuni.csv, from IPA), if any."""
        path = self.root / "contatti_comuni.csv"
        return {r["istat"]: r for r in _read_csv(path)} if path.exists() else {}

    @cached_property
    def _coslat(self) -> float:
        lats = [c.lat for c in self.comuni.values()] or [45.0]
        return math.cos(math.radians(sum(lats) / len(lats)))

    def _to_m(self, lon: float, lat: float) -> tuple[float, float]:
        return lon * _M_PER_DEG_LAT * self._coslat, lat * _M_PER_DEG_LAT

    @cached_property
    def confini_geojson(self) -> dict:
        return json.loads((self.root / "confini.geojson").read_text(encoding="utf-8"))

    @cached_property
    def _shapes(self) -> dict:
        """ISTAT -> prepared shapely geometry in local metres."""
        shape = importa_intero("shapely.geometry").shape  # loads numpy and shapely, then plain imports
        import numpy as np
        from shapely import prepare, transform

        scale = np.array([_M_PER_DEG_LAT * self._coslat, _M_PER_DEG_LAT])
        out = {}
        for f in self.confini_geojson["features"]:
            geom = transform(shape(f["geometry"]), lambda xy: xy * scale)
            prepare(geom)
            out[f["properties"]["istat"]] = geom
        return out

    def distanza_m(self, istat: str, lat: float, lon: float) -> float | None:
        """0 inside the comune, else metres to its boundary; None when no boundary is known."""
        geometria = importa_intero("shapely.geometry")
        geom = self._shapes.get(istat)
        if geom is None:
            return None
        pt = geometria.Point(self._to_m(lon, lat))
        return 0.0 if geom.contains(pt) else geom.distance(pt)

    def comune_in(self, lat: float, lon: float) -> Comune | None:
        """The comune of the Ambito that contains the point, if any."""
        pt = importa_intero("shapely.geometry").Point(self._to_m(lon, lat))
        for code, geom in self._shapes.items():
            if geom.contains(pt):
                return self.comuni[code]
        return None
