"""The `comando` decorator: a subcommand's name, help and options, kept on its function.

Nothing is registered on import: atlante.cli.principale lists every subcommand explicitly.
"""

from __future__ import annotations


def comando(name: str, help: str, configure=None):
    """Mark fn(progetto, args) -> int as the subcommand `name`; configure(parser) adds its options."""

    def deco(fn):
        fn.comando = (name, help, configure or (lambda p: None))
        return fn

    return deco
