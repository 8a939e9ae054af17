"""`atlante stale`: the records not confirmed for N months, with the contacts to ask them.

The Ufficio di Piano writes to these entities once a year (the PdZ counts the annual updates
of the mapping); a record with no valid date is listed first, as the most urgent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from atlante.base.foglio import testo_csv
from atlante.base.problems import visibile
from atlante.lettura.progetto import Progetto
from atlante.lettura.records import Record, load_records
from atlante.validazione.controlli import parse_date

COLONNE = ["scheda", "tipo", "nome", "comune", "verificato_il", "mesi", "email", "pec", "telefono", "sito_web", "file"]


@dataclass(frozen=True)
class Scaduta:
    record: Record
    verificato_il: dt.date | None
    mesi: int | None  # whole months since verificato_il; None when the date is missing/invalid

    def riga(self) -> dict[str, str]:
        d = self.record.data
        contatti = d.get("contatti") if isinstance(d.get("contatti"), dict) else {}
        tel = contatti.get("telefono")
        tel = ", ".join(map(str, tel)) if isinstance(tel, list) else (tel or "")
        comune = d.get("comune") or ", ".join(map(str, d.get("comuni") or []))
        return {
            "scheda": self.record.id,
            "tipo": self.record.tipo.id,
            "nome": self.record.nome,
            "comune": str(comune),
            "verificato_il": self.verificato_il.isoformat() if self.verificato_il else "mancante",
            "mesi": "" if self.mesi is None else str(self.mesi),
            "email": str(contatti.get("email") or ""),
            "pec": str(contatti.get("pec") or ""),
            "telefono": str(tel),
            "sito_web": str(contatti.get("sito_web") or ""),
            "file": self.record.display,
        }


def mesi_tra(prima: dt.date, dopo: dt.date) -> int:
    """Whole months from prima to dopo (2025-01-31 -> 2025-02-28 is 0 months)."""
    mesi = (dopo.year - prima.year) * 12 + dopo.month - prima.month
    return mesi - 1 if dopo.day < prima.day else mesi


def scadute(progetto: Progetto, mesi: int = 12, oggi: dt.date | None = None) -> list[Scaduta]:
    """Records (synthetic ones excluded) verified at least `mesi` months before oggi, oldest first."""
    oggi = oggi or dt.date.today()
    out = []
    for rec in load_records(progetto, include_synthetic=False):
        if rec.tipo is None:
            continue
        data = parse_date(rec.data.get("verificato_il"))
        if data is None:
            out.append(Scaduta(rec, None, None))
            continue
        eta = mesi_tra(data, oggi)
        if eta >= mesi:
            out.append(Scaduta(rec, data, eta))
    return sorted(out, key=lambda s: (s.verificato_il or dt.date.min, s.record.id))


def formato_csv(elenco: list[Scaduta]) -> str:
    """For a spreadsheet, through the one CSV writer (formulas neutralised)."""
    return testo_csv(COLONNE, ([s.riga()[k] for k in COLONNE] for s in elenco))


def formato_tabella(elenco: list[Scaduta], mesi: int) -> str:
    if not elenco:
        return f"Nessuna scheda da ricontrollare: tutte verificate negli ultimi {mesi} mesi."
    colonne = ["scheda", "verificato_il", "mesi", "nome", "comune", "email", "telefono"]
    righe = [{k: visibile(s.riga()[k]) for k in colonne} for s in elenco]
    for r, s in zip(righe, elenco):
        comuni = s.record.data.get("comuni")
        if not s.record.data.get("comune") and isinstance(comuni, list) and len(comuni) > 3:
            r["comune"] = f"{len(comuni)} comuni"  # a patto of the whole Ambito: keep the row readable
    larghezze = {k: max(len(k), *(len(r[k]) for r in righe)) for k in colonne}
    fmt = lambda r: "  ".join(r[k].ljust(larghezze[k]) for k in colonne).rstrip()  # noqa: E731
    out = [fmt({k: k for k in colonne}), fmt({k: "-" * larghezze[k] for k in colonne})]
    out += [fmt(r) for r in righe]
    out.append(f"{len(elenco)} schede non verificate da almeno {mesi} mesi.")
    return "\n".join(out)
