"""Jinja2 templates of the generated pages and charts, always with autoescape.

Record values reach these pages (names of enti, comuni, organi): autoescape keeps them text.
Markdown templates use the `md` filter too, so a `|` in a value cannot break a table.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape


def numero(v, decimali: int = 0) -> str:
    """Italian number formatting: 1.234,5 (thousands with a dot, decimals with a comma)."""
    if v is None:
        return "–"
    s = f"{v:,.{decimali}f}"
    return s.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def dimensione(n: int) -> str:
    """Byte size for people: 812 byte, 12,3 kB, 1,4 MB (decimal units, as file managers show)."""
    if n < 1000:
        return f"{n} byte"
    if n < 1_000_000:
        return f"{numero(n / 1000, 1)} kB"
    return f"{numero(n / 1_000_000, 1)} MB"


def md(v) -> Markup:
    """Escape for a Markdown table cell: HTML-escaped, pipes and line breaks neutralised."""
    s = str(escape(v)).replace("|", "&#124;").replace("\n", " ")
    return Markup(s)


@lru_cache(maxsize=1)
def ambiente() -> Environment:
    env = Environment(loader=FileSystemLoader(Path(__file__).parent / "modelli"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True)
    env.filters.update(numero=numero, dimensione=dimensione, md=md)
    return env


def rendi(nome: str, **dati) -> str:
    return ambiente().get_template(nome).render(**dati)
