"""Markdown pages with YAML front matter (verbali, news): split, parse, keep real line numbers.

The front matter is parsed by yamlfile.read_yaml like a record, then every position is moved
down by the lines that precede it (the opening `---`), so messages point at the right line
of the .md file, not of the YAML fragment.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from atlante.base.formato import data_italiana, del_giorno  # noqa: F401 - re-exported
from atlante.base.problems import Problem
from atlante.lettura.yamlfile import YamlDoc, campo, read_yaml

_FM_RE = re.compile(r"\A---[ \t]*\r?\n(.*?)^---[ \t]*$\r?\n?", re.S | re.M)
ORA_RE = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")


@dataclass
class PaginaFM:
    """A Markdown file split into front matter (with positions) and body."""

    path: Path
    display: str
    rel: str  # relative to content/, POSIX
    doc: YamlDoc
    corpo: str
    riga_corpo: int  # 1-based line where the body starts

    @property
    def data(self) -> dict:
        return self.doc.data if isinstance(self.doc.data, dict) else {}

    @property
    def id(self) -> str:
        return self.path.stem


def leggi(path: Path, display: str, rel: str) -> PaginaFM:
    """Read a page; problems (missing front matter, YAML errors) land in doc.problems."""
    try:
        text = path.read_text(encoding="utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        doc = YamlDoc(path=path)
        doc.problems.append(Problem(display, 1, 1, "(file)", "il file non è in codifica UTF-8", "salvalo come UTF-8"))
        return PaginaFM(path, display, rel, doc, "", 1)
    m = _FM_RE.match(text)
    if not m:
        doc = YamlDoc(path=path)
        doc.problems.append(
            Problem(
                display,
                1,
                1,
                "(file)",
                "manca l'intestazione YAML tra due righe '---' all'inizio del file",
                "copia l'intestazione da un file esistente della stessa cartella",
            )
        )
        return PaginaFM(path, display, rel, doc, text, 1)
    offset = 1  # the opening '---' line
    doc = read_yaml(path, display, text=m.group(1))
    doc.positions = {k: (line + offset, col) for k, (line, col) in doc.positions.items()}
    doc.key_positions = {k: (line + offset, col) for k, (line, col) in doc.key_positions.items()}
    doc.problems = [dataclasses.replace(p, line=p.line + offset) for p in doc.problems]
    riga_corpo = text[: m.end()].count("\n") + 1
    return PaginaFM(path, display, rel, doc, text[m.end() :], riga_corpo)


class Controllo:
    """Collects problems for one page with file, line and column of the offending value."""

    def __init__(self, pagina: PaginaFM):
        self.p = pagina
        self.problems: list[Problem] = list(pagina.doc.problems)

    def add(self, kp, msg, hint=None, livello="errore", riga=None):
        line, col = (riga, 1) if riga else self.p.doc.where(kp)
        self.problems.append(Problem(self.p.display, line, col, campo(tuple(kp)), msg, hint, livello))

    def richiesto(self, data: dict, kp: tuple, key: str, tipo=str) -> object:
        """The value at key, or None after reporting that it is missing or of the wrong type."""
        v = data.get(key)
        if v is None or v == "":
            self.add(kp, f"campo obbligatorio mancante: '{key}'")
            return None
        if tipo is not None and not isinstance(v, tipo):
            self.add(kp + (key,), _tipo_msg(tipo))
            return None
        return v

    def sconosciuti(self, data: dict, kp: tuple, ammessi: set[str]) -> None:
        for k in data:
            if k not in ammessi:
                close = difflib.get_close_matches(k, sorted(ammessi), n=1)
                hint = f"forse intendevi '{close[0]}'?" if close else "campi ammessi: " + ", ".join(sorted(ammessi))
                line, col = self.p.doc.where_key(kp + (k,))
                self.problems.append(
                    Problem(self.p.display, line, col, campo(kp + (k,)), f"campo sconosciuto '{k}'", hint)
                )

    def data_reale(self, data: dict, kp: tuple, key: str, richiesta=True) -> dt.date | None:
        v = data.get(key)
        if v is None:
            if richiesta:
                self.richiesto(data, kp, key)
            return None
        try:
            return dt.date.fromisoformat(v) if isinstance(v, str) else None
        except ValueError:
            pass
        self.add(kp + (key,), f"data non valida: '{v}'", "scrivi la data come AAAA-MM-GG, es. 2024-10-18")
        return None


def _tipo_msg(tipo) -> str:
    return {
        str: "deve essere un testo",
        list: "deve essere un elenco (righe che iniziano con '-')",
        dict: "deve essere un gruppo di campi 'nome: valore'",
        int: "deve essere un numero intero",
    }.get(tipo, "tipo non valido")


def scelto(path: Path, wanted) -> bool:
    """Whether `atlante validate PATHS` asked for this file (itself or a folder holding it)."""
    if wanted is None:
        return True
    f = path.resolve()
    return f in wanted or any(d in wanted for d in f.parents)


def ora(value) -> str | None:
    """'HH:MM' from a YAML value. Unquoted 14:00 is a base-60 integer in YAML 1.1 (840): undo it."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 24 * 60:
        return f"{value // 60:02d}:{value % 60:02d}"
    if isinstance(value, str):
        m = ORA_RE.match(value.strip())
        if m:
            return f"{int(m[1]):02d}:{m[2]}"
    return None


def pagine_bozza(progetto) -> list[PaginaFM]:
    """The verbali and news marked `bozza: true`: drafts, which the site never publishes."""
    from atlante.lettura.notizie import file_news, leggi_notizia
    from atlante.lettura.verbali import file_verbali, leggi_verbale

    pagine = [leggi_verbale(progetto, f) for f in file_verbali(progetto)]
    pagine += [leggi_notizia(progetto, f) for f in file_news(progetto)]
    return [p for p in pagine if p.data.get("bozza") is True]
