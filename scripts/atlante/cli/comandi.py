"""The subcommands of `atlante`, each a thin layer over a plain function."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from atlante.base.problems import FORMATTERS, format_github
from atlante.cli.comando import comando


def _configure_validate(p):
    p.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PERCORSO",
        help="file o cartelle da validare (predefinito: tutto il progetto)",
    )
    p.add_argument(
        "--format",
        choices=sorted(FORMATTERS),
        default=None,
        help="formato dei messaggi (predefinito: github se GITHUB_ACTIONS è impostata, altrimenti text)",
    )
    p.add_argument("--strict", action="store_true", help="tratta gli avvisi come errori")
    p.add_argument(
        "--annota",
        type=Path,
        metavar="ELENCO.txt",
        help="con --format github, annota solo i file elencati (uno per riga, es. quelli cambiati da una "
        "pull request); i problemi degli altri file restano nel registro come righe di testo",
    )


@comando("validate", "controlla le schede e i dati di riferimento; esce con 1 se ci sono errori", _configure_validate)
def validate_cmd(progetto, args) -> int:
    from atlante.validazione.controlli import validate

    for p in args.paths:
        if not p.exists():
            print(f"atlante validate: {p}: file o cartella inesistente", file=sys.stderr)
            return 2
    fmt = args.format or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")
    problems = validate(progetto, [p for p in args.paths] or None)
    if fmt == "github" and args.annota:
        try:
            elenco = {r.strip() for r in args.annota.read_text(encoding="utf-8").splitlines() if r.strip()}
        except OSError as e:
            print(f"atlante validate: {args.annota}: non leggibile ({e.strerror})", file=sys.stderr)
            return 2
        out = format_github(problems, elenco)
    else:
        out = FORMATTERS[fmt](problems)
    if out:
        print(out)
    elif fmt == "text":
        print("Tutte le schede sono valide.")
    failed = any(p.is_error or args.strict for p in problems)
    return 1 if failed else 0


def _configure_build(p):
    p.add_argument("--site-dir", type=Path, default=None, help="cartella di destinazione (predefinita: site/)")
    p.add_argument("--no-strict", action="store_true", help="non fermarti sugli avvisi di MkDocs")
    p.add_argument(
        "--riservati",
        type=Path,
        default=None,
        metavar="CARTELLA",
        help="cartella (fuori dal repository) con i testi dei verbali riservati, uno per file "
        "<id>.md; la password si passa solo con la variabile ATLANTE_RISERVATI_PASSWORD "
        "(predefinita: la variabile ATLANTE_RISERVATI_DIR)",
    )
    p.add_argument(
        "--pubblicazione",
        action="store_true",
        help="costruzione da pubblicare: rifiuta il site_url segnaposto di mkdocs.yml (esce con 1)",
    )


AVVISO_SITE_URL = (
    "Attenzione: site_url in mkdocs.yml è ancora l'indirizzo segnaposto {url}: feed, link canonici, "
    "colonna `url` dei CSV e segnalazioni punteranno lì. Imposta in mkdocs.yml l'indirizzo vero del sito "
    "(per GitHub Pages di un progetto: https://NOME.github.io/REPOSITORY/)."
)


def _site_url(progetto):
    import yaml

    cfg = yaml.load((progetto.root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    return cfg.get("site_url") if isinstance(cfg, dict) else None


@comando("build", "valida i dati e costruisce il sito statico (in modo atomico)", _configure_build)
def build_cmd(progetto, args) -> int:
    from atlante.modello.percorsi import SITE_URL_DA_IMPOSTARE, site_url_da_impostare
    from atlante.motore.costruzione import BuildFallita, DestinazioneVietata, build_site
    from atlante.pagine.riservati import ENV_DIR

    segnaposto = site_url_da_impostare(_site_url(progetto))
    if segnaposto and args.pubblicazione:
        print("atlante build: " + AVVISO_SITE_URL.format(url=SITE_URL_DA_IMPOSTARE), file=sys.stderr)
        print("atlante build: niente da pubblicare finché site_url non è impostato.", file=sys.stderr)
        return 1
    if args.riservati is not None:
        os.environ[ENV_DIR] = str(args.riservati.resolve())  # read by the build hook
    try:
        out = build_site(progetto, args.site_dir, strict=not args.no_strict)
    except DestinazioneVietata as e:
        print(f"atlante build: --site-dir {e}. Nessun file toccato.", file=sys.stderr)
        return 2
    except BuildFallita as e:
        print(f"atlante build: costruzione non riuscita, il sito precedente è rimasto com'era.\n{e}", file=sys.stderr)
        return 1
    print(f"Sito costruito in {out}. Anteprima: .venv/bin/atlante serve (poi apri http://127.0.0.1:8000)")
    from atlante.lettura.frontmatter import pagine_bozza

    for pagina in pagine_bozza(progetto):  # the hook logs them too, but only MkDocs' own CLI shows INFO
        print(f"Bozza non pubblicata: {pagina.display}")
    if segnaposto:
        # a notice, not a MkDocs warning: strict builds of pull requests must still pass
        print(AVVISO_SITE_URL.format(url=SITE_URL_DA_IMPOSTARE), file=sys.stderr)
    return 0


def _configure_serve(p):
    p.add_argument("--dev-addr", default="127.0.0.1:8000", help="indirizzo:porta (predefinito 127.0.0.1:8000)")


@comando("serve", "anteprima del sito con ricarica automatica quando cambia una scheda", _configure_serve)
def serve_cmd(progetto, args) -> int:
    from atlante.motore.servi import servi

    servi(progetto, args.dev_addr)
    return 0


def _configure_pagine(p):
    p.add_argument("dest", type=Path, help="cartella in cui scrivere le pagine generate")


@comando("pagine", "scrive le pagine generate dalle schede in una cartella (per altri motori)", _configure_pagine)
def pagine_cmd(progetto, args) -> int:
    from atlante.motore import genera as gen
    from atlante.motore.costruzione import MARCATORE_PAGINE, DestinazioneVietata, controlla_destinazione

    try:
        dest = controlla_destinazione(progetto, args.dest, MARCATORE_PAGINE)
    except DestinazioneVietata as e:
        print(f"atlante pagine: {e}. Nessun file toccato.", file=sys.stderr)
        return 2
    dest.mkdir(parents=True, exist_ok=True)
    (dest / MARCATORE_PAGINE).write_text(
        "Pagine generate da `atlante pagine`: la prossima esecuzione riscrive questa cartella.\n", encoding="utf-8"
    )
    n = gen.scrivi(gen.genera(gen.contesto(progetto)), dest)
    print(f"{n} file scritti in {args.dest}")
    return 0


def _configure_verifica(p):
    p.add_argument("--site-dir", type=Path, default=None, help="sito costruito da verificare (predefinito: site/)")


@comando(
    "verifica", "controlla i link interni e le ancore del sito costruito; elenca i link esterni", _configure_verifica
)
def verifica_cmd(progetto, args) -> int:
    import yaml

    from atlante.strumenti.verifica import verifica_link

    site = (args.site_dir or progetto.root / "site").resolve()
    if not (site / "index.html").is_file():
        print(
            f"atlante verifica: {site} non contiene un sito costruito (lancia prima `atlante build`)", file=sys.stderr
        )
        return 2
    cfg = yaml.load((progetto.root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    esito = verifica_link(site, cfg.get("site_url"))
    for r in esito.rotti:
        print(r.text())
    print(
        f"{esito.pagine} pagine controllate, {len(esito.rotti)} link interni rotti, "
        f"{len(esito.esterni)} link esterni (non visitati):"
    )
    for url in sorted(esito.esterni):
        print(f"  {url}")
    return 1 if esito.rotti else 0


def _configure_bench(p):
    p.add_argument(
        "--dimensioni",
        type=int,
        nargs="+",
        default=[1000, 5000, 10000],
        metavar="N",
        help="numeri di schede sintetiche (predefinito: 1000 5000 10000)",
    )
    p.add_argument("--json", type=Path, default=Path("bench-risultati.json"), help="file JSON dei risultati")
    p.add_argument(
        "--ripetizioni",
        type=int,
        default=3,
        metavar="K",
        help="costruzioni per dimensione; si riporta la mediana (predefinito 3; 1 per una prova veloce)",
    )
    p.add_argument(
        "--senza-browser", action="store_true", help="non misurare in Chromium i byte scaricati dalla ricerca"
    )


@comando("bench", "misura validazione, build, mappa e ricerca su dati sintetici crescenti (minuti)", _configure_bench)
def bench_cmd(progetto, args) -> int:
    from atlante.strumenti.bench import esegui

    if args.ripetizioni < 1:
        print("atlante bench: --ripetizioni deve essere almeno 1", file=sys.stderr)
        return 2
    esegui(progetto.root, args.dimensioni, args.json, ripetizioni=args.ripetizioni, browser=not args.senza_browser)
    print(f"Risultati in {args.json}")
    return 0


def _configure_password(p):
    p.add_argument(
        "--controlla",
        action="store_true",
        help="invece di proporne una, controlla la password in ATLANTE_RISERVATI_PASSWORD (mai sulla riga di comando)",
    )


@comando(
    "password",
    "propone una password per i verbali riservati (sei parole a caso dall'elenco EFF) che la regola accetta",
    _configure_password,
)
def password_cmd(progetto, args) -> int:
    from atlante.pagine.riservati import ENV_PASSWORD, PAROLE_PASSPHRASE, debolezza, passphrase, vocabolario

    if args.controlla:
        pw = os.environ.get(ENV_PASSWORD)
        if not pw:
            print(f"atlante password: la variabile {ENV_PASSWORD} non è impostata", file=sys.stderr)
            return 2
        motivo = debolezza(pw, vocabolario(progetto))
        print(f"atlante password: {motivo}." if motivo else "La password è accettata.")
        return 1 if motivo else 0
    print(passphrase(vocabolario(progetto)))
    print(
        f"Frase di {PAROLE_PASSPHRASE} parole estratte a caso dall'elenco EFF (7.776 parole: 77 bit di casualità). "
        f"Conservala in un gestore di password e usala con {ENV_PASSWORD}.",
        file=sys.stderr,
    )
    return 0
