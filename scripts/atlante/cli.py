"""The `atlante` command. Usage: atlante [--root PATH] COMMAND [...]; `atlante COMMAND -h` for each."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .progetto import Progetto, ProgettoNonTrovato, trova_radice

COMMANDS: dict[str, tuple] = {}  # name -> (help, configure(parser), run(progetto, args) -> int)


def command(name: str, help: str, configure=None):
    """Register a subcommand: configure(parser) adds its options, fn(progetto, args) runs it."""
    def deco(fn):
        COMMANDS[name] = (help, configure or (lambda p: None), fn)
        return fn
    return deco


def build_parser() -> argparse.ArgumentParser:
    from . import comandi, importa  # noqa: F401 - registers the commands

    parser = argparse.ArgumentParser(
        prog="atlante", description="Atlante di Comunità: valida le schede e costruisce il sito.")
    parser.add_argument("--root", type=Path, help="cartella del progetto (predefinita: trovata risalendo dalla cartella corrente)")
    sub = parser.add_subparsers(dest="comando", metavar="COMANDO")
    for name, (help_, configure, _run) in COMMANDS.items():
        sp = sub.add_parser(name, help=help_, description=help_)
        configure(sp)
    return parser


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.comando:
        parser.print_help()
        return 2
    try:
        root = args.root.resolve() if args.root else trova_radice()
        if args.root and not (root / "data").is_dir():
            raise ProgettoNonTrovato(f"{root} non contiene la cartella data/")
    except ProgettoNonTrovato as e:
        print(f"atlante: {e}", file=sys.stderr)
        return 2
    return COMMANDS[args.comando][2](Progetto(root), args)


if __name__ == "__main__":
    sys.exit(main())
