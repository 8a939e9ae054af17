"""The `atlante` command. Usage: atlante [--root PATH] COMMAND [...]; `atlante COMMAND -h` for each."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def comandi() -> list:
    """Every subcommand, in the order `atlante -h` lists them."""
    from atlante.cli import comandi as c
    from atlante.cli import importa, partecipa

    return [
        c.validate_cmd,
        c.build_cmd,
        c.serve_cmd,
        c.pagine_cmd,
        c.verifica_cmd,
        c.bench_cmd,
        c.password_cmd,
        partecipa.new_cmd,
        partecipa.stale_cmd,
        importa.import_cmd,
        importa.importa_verbale_cmd,
    ]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="atlante", description="Atlante di Comunità: valida le schede e costruisce il sito."
    )
    parser.add_argument(
        "--root", type=Path, help="cartella del progetto (predefinita: trovata risalendo dalla cartella corrente)"
    )
    sub = parser.add_subparsers(dest="comando", metavar="COMANDO")
    for fn in comandi():
        name, help_, configure = fn.comando
        sp = sub.add_parser(name, help=help_, description=help_)
        configure(sp)
        sp.set_defaults(esegui=fn)
    return parser


def main(argv: list[str] | None = None) -> int:
    from atlante.base.segnali import arrivato, installa, rileva

    installa()  # first: a Ctrl-C while the modules load gets the same one line as later
    nome = "atlante"
    try:
        from atlante.lettura.progetto import Progetto, ProgettoNonTrovato, trova_radice

        os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
        parser = build_parser()
        args = parser.parse_args(argv)
        if not args.comando:
            parser.print_help()
            return 2
        nome = f"atlante {args.comando}"
        try:
            root = args.root.resolve() if args.root else trova_radice()
            if args.root and not (root / "data").is_dir():
                raise ProgettoNonTrovato(f"{root} non contiene la cartella data/")
        except ProgettoNonTrovato as e:
            print(f"atlante: {e}", file=sys.stderr)
            return 2
        esito = args.esegui(Progetto(root), args)
        rileva()
        return esito
    except KeyboardInterrupt:
        return _interrotto(nome)
    except Exception:
        # some libraries turn the KeyboardInterrupt into their own error (numpy's import into an
        # ImportError): after a Ctrl-C, that error is the interruption
        if arrivato():
            return _interrotto(nome)
        raise


def comando() -> int:
    """The `atlante` command (and `python -m atlante`): main(), then its exit code stands. The work
    is over: a Ctrl-C during the interpreter's shutdown (a fifth of a second, with the default
    handlers back) would kill it without a word, so both signals are ignored from here."""
    import signal

    from atlante.base.segnali import SEGNALI

    try:
        return main()
    finally:
        for s in SEGNALI:
            signal.signal(s, signal.SIG_IGN)


def _interrotto(nome: str) -> int:
    print(f"{nome}: interrotto; nessun file lasciato a metà (tutto com'era prima o come dopo).", file=sys.stderr)
    return 130


if __name__ == "__main__":
    sys.exit(comando())
