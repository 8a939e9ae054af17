"""Subcommands for contributors and the Ufficio di Piano: `atlante new`, `atlante stale`."""

from __future__ import annotations

import datetime as dt
import sys

from atlante.cli.comando import comando


def _configure_new(p):
    p.add_argument("tipo", help="tipo di scheda: ets, biblioteca, udo, patto")
    p.add_argument("--nome", help="nome dell'ente (da qui viene il nome del file)")
    p.add_argument("--comune", help="comune della sede (nome ufficiale o variante nota)")
    p.add_argument(
        "--comuni",
        action="append",
        metavar="COMUNE",
        help="per i patti: un comune coinvolto (ripeti l'opzione, o separa con la virgola)",
    )
    p.add_argument(
        "--tipo-biblioteca",
        dest="tipo_biblioteca",
        metavar="TIPO",
        help="per le biblioteche: biblioteca oppure punto_prestito",
    )
    p.add_argument("--tipologia", help="per le Unità di Offerta: tipologia (es. asilo_nido, rsa)")
    p.add_argument(
        "--verificato-il",
        dest="verificato_il",
        metavar="AAAA-MM-GG",
        help="data di verifica delle informazioni (predefinita: oggi)",
    )
    p.add_argument(
        "--file", dest="id_file", metavar="NOME-FILE", help="nome del file senza .yml (predefinito: ricavato dal nome)"
    )


@comando(
    "new",
    "crea una nuova scheda con tutti i campi spiegati; non sovrascrive mai un file esistente. "
    "Su un terminale chiede i dati essenziali, altrimenti li prende dalle opzioni",
    _configure_new,
)
def new_cmd(progetto, args) -> int:
    from atlante.base.problems import format_text
    from atlante.lettura.records import load_record
    from atlante.strumenti.nuovo import NuovaSchedaErrore, crea, interattivo, trova_tipo
    from atlante.validazione.controlli import check_record

    comuni = None
    if args.comuni:
        comuni = [c.strip() for voce in args.comuni for c in voce.split(",") if c.strip()]
    dati = {
        "nome": args.nome,
        "comune": args.comune,
        "comuni": comuni,
        "tipo": args.tipo_biblioteca,
        "tipologia": args.tipologia,
        "verificato_il": args.verificato_il,
    }
    try:
        tipo = trova_tipo(args.tipo)
        path = crea(
            progetto,
            tipo,
            {k: v for k, v in dati.items() if v is not None},
            interattivo=interattivo(),
            id_file=args.id_file,
        )
    except NuovaSchedaErrore as e:
        print(f"atlante new: {e}", file=sys.stderr)
        return e.codice
    rel = progetto.rel(path)
    print(f"Creata la scheda {rel}.")
    # The record's own checks only: cross-record ones would read every file (slow on big data)
    # and cannot concern the empty placeholders that are left to fill.
    problems = [p for p in check_record(progetto, load_record(progetto, path)) if p.is_error]
    if problems:
        print("Da completare prima di proporla:\n" + format_text(problems))
    print(
        "Apri il file, togli il # davanti ai campi che vuoi usare e scrivi i tuoi dati;\n"
        f"poi controlla con: atlante validate {rel}"
    )
    return 0


def _configure_stale(p):
    p.add_argument("--mesi", type=int, default=12, help="mesi dall'ultima verifica (predefinito 12)")
    p.add_argument(
        "--formato",
        choices=["tabella", "csv"],
        default="tabella",
        help="tabella da leggere (predefinito) o CSV per un foglio di calcolo",
    )
    p.add_argument(
        "--al",
        type=dt.date.fromisoformat,
        default=None,
        metavar="AAAA-MM-GG",
        help="data di riferimento (predefinita: oggi)",
    )


@comando(
    "stale", "elenca le schede non verificate da N mesi, con i contatti per chiedere un aggiornamento", _configure_stale
)
def stale_cmd(progetto, args) -> int:
    from atlante.strumenti.stale import formato_csv, formato_tabella, scadute

    if args.mesi < 0:
        print("atlante stale: --mesi deve essere un numero positivo", file=sys.stderr)
        return 2
    elenco = scadute(progetto, args.mesi, args.al)
    if args.formato == "csv":  # bytes as written: BOM and CRLF for the spreadsheet, as in a file
        sys.stdout.flush()
        sys.stdout.buffer.write(formato_csv(elenco).encode("utf-8"))
        sys.stdout.buffer.flush()
        return 0
    out = formato_tabella(elenco, args.mesi)
    sys.stdout.write(out if out.endswith("\n") else out + "\n")
    return 0
