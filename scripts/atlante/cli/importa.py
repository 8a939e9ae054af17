"""`atlante import`: the command line over atlante.importazione."""

from __future__ import annotations

import sys
from pathlib import Path

from atlante.cli.comando import comando
from atlante.importazione.importa import importa, salva_report, stampa
from atlante.lettura.progetto import TIPO_PER_CARTELLA


def _configura(p):
    p.add_argument("file", type=Path, metavar="FILE", help="foglio da importare: .csv (, ; o tabulazione) o .xlsx")
    p.add_argument("--tipo", choices=sorted(TIPO_PER_CARTELLA), help="tipo di schede (oppure 'tipo:' nella mappatura)")
    p.add_argument(
        "--mappatura",
        type=Path,
        metavar="MAP.yml",
        help="file YAML con 'tipo', 'colonne: {intestazione: campo}', 'ignora: [...]', 'valori: {campo: valore}' "
        "(valori predefiniti), 'filtri: {intestazione: valore}', 'fonte: {dataset, editore, data, licenza, url}'",
    )
    p.add_argument(
        "--filtro",
        action="append",
        default=[],
        metavar="COLONNA=VALORE",
        help="importa solo le righe con quel valore nella colonna (ripetibile; più valori separati da virgole)",
    )
    p.add_argument("--fonte", metavar="TESTO", help="fonte scritta nelle schede (dataset, editore, licenza)")
    p.add_argument(
        "--data-fonte",
        metavar="AAAA-MM-GG",
        help="data dei dati della fonte: diventa 'verificato_il' delle schede (predefinita: oggi)",
    )
    p.add_argument(
        "--parziale",
        action="store_true",
        help="importa le righe valide e scrivi le scartate in FILE-scartate.csv (colonne della fonte più 'problema')",
    )
    p.add_argument("--scartate", type=Path, metavar="OUT.csv", help="dove scrivere le righe scartate con --parziale")
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
    import datetime as dt

    from atlante.importazione.colonne import Fonte, MappaturaNonValida, filtro, leggi_mappatura
    from atlante.importazione.letture import LetturaFallita

    try:
        filtri = [filtro(f) for f in args.filtro]
        fonte = None
        if args.fonte or args.data_fonte:
            base = leggi_mappatura(args.mappatura).fonte if args.mappatura else None
            try:
                quando = dt.date.fromisoformat(args.data_fonte) if args.data_fonte else (base.data if base else None)
            except ValueError:
                raise MappaturaNonValida(f"--data-fonte '{args.data_fonte}' non è una data AAAA-MM-GG") from None
            fonte = Fonte(dataset=args.fonte or (base.dataset if base else args.file.name), data=quando)
            if base and not args.fonte:
                fonte = Fonte(base.dataset, base.editore, quando, base.licenza, base.url, base.nota)
        res = importa(
            progetto,
            args.file,
            args.tipo,
            args.mappatura,
            args.prova,
            args.aggiorna,
            filtri=filtri,
            fonte=fonte,
            parziale=args.parziale,
            scartate=args.scartate,
        )
    except (LetturaFallita, MappaturaNonValida) as e:
        print(f"atlante import: {e}", file=sys.stderr)
        return 2
    stampa(res, args.prova)
    if args.report:
        salva_report(res, args.report)
        print(f"Resoconto salvato in {args.report}")
    return 1 if res.bloccato else 0
