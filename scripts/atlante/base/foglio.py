"""The one CSV writer: every CSV the atlas writes (the open data in dati/, `atlante stale
--formato csv`, the import's --report) is meant for Italian spreadsheets, so each is UTF-8 with
a BOM (Excel then reads the accents), ';' as separator, CRLF line ends, and no cell that a
spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable

SEPARATORE = ";"  # Italian Excel's list separator
# A cell starting with one of these is a formula (or a DDE command) in Excel, LibreOffice or
# Google Sheets; the full-width forms are read as the ASCII ones by some of them.
_INIZIO_FORMULA = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
_NUMERO = re.compile(r"^[+-]?[\d\s.,]+$")  # numbers and phone numbers like +39 0373 1234: kept as they are


def cella(v) -> str:
    """A cell's text; text that a spreadsheet would run as a formula gets a leading apostrophe
    (shown by no spreadsheet, it makes the cell plain text)."""
    s = "" if v is None else str(v)
    if s.startswith(_INIZIO_FORMULA) and not _NUMERO.match(s):
        return "'" + s
    return s


def testo_csv(intestazione: list[str], righe: Iterable[Iterable]) -> str:
    """The whole file as text, BOM included: write it with encoding utf-8 and newline=''."""
    buf = io.StringIO(newline="")
    buf.write("\ufeff")
    w = csv.writer(buf, delimiter=SEPARATORE, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    w.writerow([cella(c) for c in intestazione])
    for riga in righe:
        w.writerow([cella(c) for c in riga])
    return buf.getvalue()


def byte_csv(intestazione: list[str], righe: Iterable[Iterable]) -> bytes:
    return testo_csv(intestazione, righe).encode("utf-8")
