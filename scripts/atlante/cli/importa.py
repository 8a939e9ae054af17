"""`atlante import`: the command line over atlante.importazione."""

from __future__ import annotations

import sys
from pathlib import Path

from atlante.cli.comando import comando
from atlante.importazione.importa import importa, salva_report, stampa
from atlante.lettura.progetto import TIPO_PER_CARTELLA


def _configura(p):
    p.add_argument("file", type=Path, metavar="FILE", help="foglio da importare: .csv (, ; o tabulazione) o .xlsx")
    p.add_argument("--tipo", required=True, choices=sorted(TIPO_PER_CARTELLA), help="tipo di schede")
    p.add_argument(
        "--mappatura",
        type=Path,
        metavar="MAP.yml",
        help="file YAML con 'colonne: {intestazione: campo}', 'ignora: [...]', 'valori: {campo: valore}'",
    )
    p.add_argument("--prova", action="store_true", help="mostra che cosa succederebbe, senza scrivere")
    p.add_argument("--aggiorna", action="store_true", help="aggiorna le schede esistenti nei campi che la fonte cambia")
    p.add_argument("--report", type=Path, metavar="OUT.csv", help="salva il resoconto riga per riga in CSV")


@comando(
    "import",
    "importa una mappatura esistente (CSV o XLSX) nelle schede, senza duplicati; "
    "scrive solo se tutte le schede risultano valide",
    _configura,
)
def import_cmd(progetto, args) -> int:
    from atlante.importazione.colonne import MappaturaNonValida
    from atlante.importazione.letture import LetturaFallita

    try:
        res = importa(progetto, args.file, args.tipo, args.mappatura, args.prova, args.aggiorna)
    except (LetturaFallita, MappaturaNonValida) as e:
        print(f"atlante import: {e}", file=sys.stderr)
        return 2
    stampa(res, args.prova)
    if args.report:
        salva_report(res, args.report)
        print(f"Resoconto salvato in {args.report}")
    return 1 if res.bloccato else 0
