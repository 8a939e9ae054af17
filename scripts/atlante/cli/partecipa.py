"""Subcommands for contributors and the Ufficio di Piano: `atlante new`, `atlante stale`."""

from __future__ import annotations

import datetime as dt
import sys

from atlante.cli.comando import comando


def _configure_new(p):
    p.add_argument("tipo", help="tipo di scheda (ets, biblioteca, udo, patto) oppure verbale, notizia")
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
        "--file",
        dest="id_file",
        metavar="NOME-FILE",
        help="nome del file senza .yml o .md (predefinito: ricavato dal nome, o da data e organo/titolo)",
    )
    v = p.add_argument_group("verbali e notizie (atlante new verbale | atlante new notizia)")
    v.add_argument("--organo", help="id dell'organo in data/organi.yml (verbale)")
    v.add_argument("--data", metavar="AAAA-MM-GG", help="data della seduta o della notizia (notizia: predefinita oggi)")
    v.add_argument("--seduta", metavar="N/AA", help='numero della seduta, es. "1/25" (verbale)')
    v.add_argument("--ora-inizio", dest="ora_inizio", metavar="HH:MM", help="ora di inizio (verbale)")
    v.add_argument("--ora-fine", dest="ora_fine", metavar="HH:MM", help="ora di fine (verbale)")
    v.add_argument("--modalita", help="presenza, telematica o mista (verbale)")
    v.add_argument("--luogo", help="dove si è tenuta la seduta (verbale)")
    v.add_argument("--visibilita", help="pubblico, estratto o riservato (verbale)")
    v.add_argument(
        "--presente", action="append", metavar='"NOME, RUOLO"', help="un presente (ripeti l'opzione) (verbale)"
    )
    v.add_argument("--assente", action="append", metavar='"NOME, RUOLO"', help="un assente (ripeti l'opzione)")
    v.add_argument("--punto", action="append", metavar="OGGETTO", help="un punto all'ordine del giorno (ripeti)")
    v.add_argument("--titolo", help="titolo della notizia")
    v.add_argument("--categoria", help="categoria della notizia (es. avvisi, governance)")
    v.add_argument("--sommario", help="sommario della notizia, una o due frasi")
    v.add_argument("--testo", help="il testo sotto l'intestazione (Markdown)")


@comando(
    "new",
    "crea una nuova scheda con tutti i campi spiegati; non sovrascrive mai un file esistente. "
    "Su un terminale chiede i dati essenziali, altrimenti li prende dalle opzioni",
    _configure_new,
)
def new_cmd(progetto, args) -> int:
    if args.tipo in ("verbale", "notizia"):
        return _nuova_pagina(progetto, args)
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


def _nuova_pagina(progetto, args) -> int:
    from atlante.base.problems import format_text
    from atlante.strumenti.nuova_pagina import crea, persona
    from atlante.strumenti.nuovo import NuovaSchedaErrore, interattivo

    try:
        dati = {
            k: getattr(args, k)
            for k in (
                "organo",
                "data",
                "seduta",
                "ora_inizio",
                "ora_fine",
                "modalita",
                "luogo",
                "visibilita",
                "titolo",
                "categoria",
                "sommario",
            )
        }
        dati["presenti"] = [persona(x) for x in args.presente or []]
        dati["assenti"] = [persona(x) for x in args.assente or []]
        dati["ordine_del_giorno"] = [x.strip() for x in args.punto or [] if x.strip()]
        path = crea(progetto, args.tipo, dati, args.testo or "", interattivo=interattivo(), id_file=args.id_file)
    except NuovaSchedaErrore as e:
        print(f"atlante new: {e}", file=sys.stderr)
        return e.codice
    rel = progetto.rel(path)
    print(f"Creata la pagina {rel}.")
    if args.tipo == "verbale":
        from atlante.lettura.verbali import leggi_verbale
        from atlante.validazione.verbali import controlla_verbale

        problemi = controlla_verbale(progetto, leggi_verbale(progetto, path))
    else:
        from atlante.lettura.notizie import leggi_notizia
        from atlante.validazione.notizie import controlla_notizia

        problemi = controlla_notizia(progetto, leggi_notizia(progetto, path))
    problemi = [p for p in problemi if p.is_error]
    if problemi:
        print("Da completare prima di pubblicarla:\n" + format_text(problemi))
    print(f"Apri il file, completa i campi e scrivi il testo; poi controlla con: atlante validate {rel}")
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
