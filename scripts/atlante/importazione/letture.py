"""Readers for the spreadsheets the mappings live in: CSV as Italian Excel writes it, and XLSX.

Both give a `Tabella`: the header cells and the data rows, each with the row number a person
sees in the spreadsheet (or the line in the CSV), so every message can point at the source row.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

# How many rows from the top may hold titles, blank lines or notes before the header.
_MAX_RIGHE_TITOLO = 30


class LetturaFallita(Exception):
    """The file cannot be read as a table; the message is for people, in Italian."""


@dataclass
class Riga:
    numero: int  # row in the spreadsheet / line in the CSV, 1-based
    valori: list  # cell values, aligned with Tabella.intestazioni


@dataclass
class Tabella:
    intestazioni: list[str]
    righe: list[Riga] = field(default_factory=list)
    codifica: str = ""
    separatore: str = ""


def leggi_tabella(path: Path, riconosci) -> Tabella:
    """Read path (CSV or XLSX). riconosci(cells) -> how many cells are known headers:
    the first row with at least two is the header (title rows above it are skipped)."""
    if not path.is_file():
        raise LetturaFallita(f"{path}: file inesistente")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _leggi_xlsx(path, riconosci)
    if suffix == ".xls":
        raise LetturaFallita(
            f"{path.name}: il vecchio formato .xls non è supportato; salvalo da Excel come .xlsx o come CSV"
        )
    return _leggi_csv(path, riconosci)


def decodifica(raw: bytes) -> tuple[str, str]:
    """Text and encoding name: UTF-8 (with or without BOM), else Windows-1252 (Italian Excel)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8"), "UTF-8 con BOM"
    try:
        return raw.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        # cp1252 maps every byte but five; latin-1 takes those, so reading never fails here
        try:
            return raw.decode("cp1252"), "Windows-1252"
        except UnicodeDecodeError:
            return raw.decode("latin-1"), "ISO-8859-1"


def _colonne(riga: str, sep: str) -> int:
    try:
        return len(next(csv.reader([riga], delimiter=sep)))
    except csv.Error:  # an oversized cell: the reader below reports it with its line
        return 0


def _separatore(righe: list[str]) -> str:
    """The delimiter that splits the first lines into the most, and most regular, columns."""
    best, best_score = ",", -1
    for sep in (";", "\t", ","):
        counts = [_colonne(r, sep) for r in righe if r.strip()]
        if not counts:
            continue
        top = max(counts)
        # a header-like line splits into many columns; rows agreeing with it make it sure
        score = top * 10 + sum(c == top for c in counts) if top > 1 else 0
        if score > best_score:
            best, best_score = sep, score
    return best


def _leggi_csv(path: Path, riconosci) -> Tabella:
    text, codifica = decodifica(path.read_bytes())
    sep = _separatore(text.splitlines()[:_MAX_RIGHE_TITOLO])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    rows: list[tuple[int, list]] = []
    start = 1
    try:
        for cells in reader:
            rows.append((start, cells))
            start = reader.line_num + 1  # a quoted cell may span lines: number rows by where they start
    except csv.Error as e:  # a cell over csv.field_size_limit() (128 KB), or an unclosed quote running on
        raise LetturaFallita(
            f"{path.name}:{start}: la riga non si legge come CSV: una cella supera {csv.field_size_limit() // 1024} KB "
            "o ha virgolette non chiuse (controlla la riga nel foglio e salvalo di nuovo come CSV)"
        ) from e
    return _tabella(rows, riconosci, path, codifica, {";": "punto e virgola", "\t": "tabulazione", ",": "virgola"}[sep])


def _leggi_xlsx(path: Path, riconosci) -> Tabella:
    import warnings

    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and data validation it drops
            wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # zipfile/XML errors of a damaged file
        raise LetturaFallita(f"{path.name}: non è un file XLSX leggibile ({e.__class__.__name__})") from e
    try:
        ws = wb.worksheets[0]
        # merged title cells read as one value followed by empty cells: the header finder skips them
        rows = [(i, list(r)) for i, r in enumerate(ws.iter_rows(values_only=True), 1)]
    finally:
        wb.close()
    return _tabella(rows, riconosci, path, "XLSX", "")


def _tabella(rows, riconosci, path: Path, codifica: str, sep: str) -> Tabella:
    for idx, (_n, cells) in enumerate(rows[:_MAX_RIGHE_TITOLO]):
        if riconosci(cells) >= 2:
            header = ["" if c is None else str(c).strip() for c in cells]
            out = Tabella(header, codifica=codifica, separatore=sep)
            width = len(header)
            for n, r in rows[idx + 1 :]:
                values = r[:width] if len(r) >= width else [*r, *[None] * (width - len(r))]
                if any((v.strip() if isinstance(v, str) else v is not None) for v in values):
                    out.righe.append(Riga(n, values))
            return out
    raise LetturaFallita(
        f"{path.name}: nessuna riga di intestazione riconosciuta nelle prime {_MAX_RIGHE_TITOLO} righe "
        "(servono almeno due colonne note, es. 'Denominazione' e 'Comune'); "
        "per un'altra disposizione usa --mappatura FILE"
    )
