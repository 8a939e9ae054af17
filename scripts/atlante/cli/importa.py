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


def _configure_importa_verbale(p):
    p.add_argument("pdf", type=Path, help="il PDF del verbale, anche firmato (.pdf.p7m)")
    p.add_argument("--organo", help="id dell'organo in data/organi.yml (predefinito: letto dall'intestazione)")
    p.add_argument(
        "--riservato",
        action="store_true",
        help="verbale riservato: il testo va nella cartella dei riservati, fuori dal repository; "
        "in content/ solo l'intestazione",
    )
    p.add_argument(
        "--riservati",
        type=Path,
        metavar="CARTELLA",
        help="cartella dei testi riservati (predefinita: la variabile ATLANTE_RISERVATI_DIR)",
    )
    p.add_argument(
        "--file", dest="id_file", metavar="NOME-FILE", help="nome del file senza .md (predefinito: data-organo)"
    )


@comando(
    "importa-verbale",
    "dal PDF di un verbale (anche firmato .p7m) a una bozza in content/verbali/ da controllare; "
    "non sovrascrive mai un file esistente",
    _configure_importa_verbale,
)
def importa_verbale_cmd(progetto, args) -> int:
    import datetime as dt
    import os
    import re

    from atlante.base.formato import slug
    from atlante.importazione.verbale_pdf import ErroreVerbalePdf, bozza, leggi_verbale_pdf, testo_pagine

    def errore(msg: str, codice: int = 1) -> int:
        print(f"atlante importa-verbale: {msg}", file=sys.stderr)
        return codice

    if args.organo and args.organo not in progetto.organi:
        return errore(f"organo sconosciuto '{args.organo}': gli organi sono in data/organi.yml", 2)
    riservati = None
    if args.riservato:
        cartella = args.riservati or os.environ.get("ATLANTE_RISERVATI_DIR")
        if not cartella:
            return errore("con --riservato serve la cartella dei riservati: --riservati CARTELLA", 2)
        riservati = Path(cartella).resolve()
        if riservati == progetto.root or progetto.root in riservati.parents:
            return errore(f"la cartella dei riservati deve stare fuori dal progetto, non in {riservati}", 2)
    try:
        dati = args.pdf.read_bytes()
    except OSError as e:
        return errore(f"non riesco a leggere {args.pdf}: {e.strerror}", 2)
    try:
        letto = leggi_verbale_pdf(testo_pagine(dati), progetto.organi, args.organo)
    except ErroreVerbalePdf as e:
        return errore(str(e))
    c = letto.campi
    if args.id_file:
        ident = args.id_file.removesuffix(".md")
    elif c.get("data") and c.get("organo"):
        ident = f"{c['data']}-{c['organo']}"
    else:
        ident = slug(re.sub(r"(\.pdf)?(\.p7m)?$", "", args.pdf.name, flags=re.I)) or "verbale"
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", ident):
        return errore(f"nome del file non valido '{ident}': solo lettere minuscole, cifre e trattini", 2)
    pagina, corpo, segnalati = bozza(letto, args.pdf.name, dt.date.today().isoformat(), riservato=bool(riservati))
    dest = progetto.content_dir / "verbali" / f"{ident}.md"
    dest_testo = riservati / f"{ident}.md" if riservati else None
    for f in (dest, dest_testo):
        if f is not None and f.exists():
            return errore(f"il file {progetto.rel(f)} esiste già: non lo sovrascrivo (scegli un altro nome con --file)")
    scritti = []
    try:
        for f, testo in ((dest, pagina), (dest_testo, corpo)):
            if f is None:
                continue
            f.parent.mkdir(parents=True, exist_ok=True)
            with open(f, "x", encoding="utf-8") as fh:  # never overwrite, even in a race
                scritti.append(f)
                fh.write(testo)
    except BaseException:  # Ctrl-C or a full disk: no half-written draft stays behind
        for f in scritti:
            f.unlink(missing_ok=True)
        raise
    trovati = sorted(letto.dedotti)
    print(f"Bozza scritta in {progetto.rel(dest)}" + (f"; testo riservato in {dest_testo}" if dest_testo else "") + ".")
    print(f"Trovati nel PDF (da verificare): {', '.join(trovati) if trovati else 'nessun campo'}.")
    if segnalati:
        dove = dest_testo if dest_testo else progetto.rel(dest)
        print(f"Possibili dati personali in {dove}, da omettere prima di pubblicare:")
        for a, b, m in segnalati:
            print(f"  {'riga ' + str(a) if a == b else f'righe {a}-{b}'}: {m}")
    print("La bozza non viene pubblicata finché contiene 'bozza: true'. Poi: atlante validate " + progetto.rel(dest))
    return 0
