"""The search lexicon: data/sinonimi.yml (citizens' words -> the atlas's terms) and
data/glossario.yml (the field's terms in plain Italian). Read with positions, so that the
validator can point at the line of a bad entry; the build reads the same parsed data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from atlante.lettura.yamlfile import YamlDoc, read_yaml

SINONIMI = "sinonimi.yml"
GLOSSARIO = "glossario.yml"
# The prefixes of a term reference in sinonimi.yml and the taxonomy (or kind list) each points into.
PREFISSI = {
    "tipo": None,  # atlante.lettura.progetto.TIPI
    "tipologia": "udo_tipologie",
    "tema": "temi",
    "servizio": "servizi_biblioteca",
    "forma": "forme_giuridiche",
}


@dataclass
class Lessico:
    sinonimi: list[dict] = field(default_factory=list)  # {parole: [str], termini: [str]}
    glossario: list[dict] = field(default_factory=list)  # {termine, nome?, spiegazione}
    fonte_glossario: str | None = None
    doc_sinonimi: YamlDoc | None = None
    doc_glossario: YamlDoc | None = None

    def parole_per_termine(self) -> dict[str, list[str]]:
        """'tipologia:rsa' -> ['casa di riposo', ...], in file order, without repeats."""
        out: dict[str, list[str]] = {}
        for voce in self.sinonimi:
            for t in voce.get("termini") or []:
                lst = out.setdefault(t, [])
                lst.extend(p for p in voce.get("parole") or [] if isinstance(p, str) and p not in lst)
        return out


def _leggi(path: Path, display: str) -> YamlDoc | None:
    return read_yaml(path, display) if path.is_file() else None


def leggi_lessico(data_dir: Path) -> Lessico:
    """Both files (each may be missing: an Ambito without them has no synonyms or glossary)."""
    ds = _leggi(data_dir / SINONIMI, f"data/{SINONIMI}")
    dg = _leggi(data_dir / GLOSSARIO, f"data/{GLOSSARIO}")
    sin = (ds.data or {}).get("sinonimi") if ds and isinstance(ds.data, dict) else None
    glo = (dg.data or {}).get("termini") if dg and isinstance(dg.data, dict) else None
    return Lessico(
        sinonimi=[v for v in sin or [] if isinstance(v, dict)] if isinstance(sin, list) else [],
        glossario=[v for v in glo or [] if isinstance(v, dict) and isinstance(v.get("termine"), str)]
        if isinstance(glo, list)
        else [],
        fonte_glossario=dg.data.get("fonte") if dg and isinstance(dg.data, dict) else None,
        doc_sinonimi=ds,
        doc_glossario=dg,
    )
