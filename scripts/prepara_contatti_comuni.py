"""Write data/territorio/contatti_comuni.csv from the IPA extract (AgID, 21/06/2024).

    python scripts/prepara_contatti_comuni.py ../shared/realdata/ipa-2024/enti_ipa_comuni_ambito_cremasco.csv

Keeps, for each comune of data/territorio/comuni.csv, the Comune's own public contacts: address,
CAP, PEC (the first address IPA marks as Pec), e-mail (the first other one), website and the
date IPA last updated the entry. Names of people (the responsabile) are left out.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

CAMPI = [
    "istat",
    "ente",
    "codice_ipa",
    "codice_fiscale",
    "indirizzo",
    "cap",
    "pec",
    "email",
    "sito_web",
    "aggiornato_il",
]


def main(sorgente: str) -> int:
    root = Path(__file__).resolve().parent.parent
    with (root / "data/territorio/comuni.csv").open(encoding="utf-8", newline="") as fh:
        istat = {r["istat"] for r in csv.DictReader(fh)}
    righe = []
    with open(sorgente, encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            if r["Codice_comune_ISTAT"] not in istat or not r["Denominazione_ente"].startswith("Comune di"):
                continue
            mail = [(r[f"Mail{i}"], r[f"Tipo_Mail{i}"]) for i in range(1, 6) if r.get(f"Mail{i}")]
            righe.append(
                {
                    "istat": r["Codice_comune_ISTAT"],
                    "ente": r["Denominazione_ente"],
                    "codice_ipa": r["Codice_IPA"],
                    "codice_fiscale": r["Codice_fiscale_ente"],
                    "indirizzo": r["Indirizzo"],
                    "cap": r["CAP"],
                    "pec": next((m for m, t in mail if t == "Pec"), ""),
                    "email": next((m for m, t in mail if t != "Pec"), ""),
                    "sito_web": r["Sito_istituzionale"],
                    "aggiornato_il": r["Data_aggiornamento"],
                }
            )
    out = root / "data/territorio/contatti_comuni.csv"
    tmp = out.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, CAMPI, lineterminator="\n")
        w.writeheader()
        w.writerows(sorted(righe, key=lambda r: r["istat"]))
    tmp.replace(out)
    print(f"{len(righe)} comuni scritti in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
