"""One list of problems, several printers (people, GitHub annotations, JSON)."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass

# What a terminal would obey or hide instead of showing: C0/C1 controls (ESC starts colour, cursor
# and OSC 52 clipboard sequences; CR and LF fake whole lines), DEL, zero-width and bidi controls.
_INVISIBILI = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")


def visibile(testo) -> str:
    """Text for a terminal, one line: every control character shown as an escape (\\x1b, \\n, \\u202e).
    The one terminal writer: `validate`'s text output and `stale`'s table print values through it."""
    testo = str(testo)
    if not _INVISIBILI.search(testo):
        return testo
    nomi = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
    return _INVISIBILI.sub(
        lambda m: (
            nomi.get(m.group())
            or (f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}")
        ),
        testo,
    )


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    col: int
    campo: str
    messaggio: str
    suggerimento: str | None = None
    livello: str = "errore"  # "errore" | "avviso"
    codice: str | None = None  # a kind of problem summarised as one line, e.g. "stale"

    @property
    def is_error(self) -> bool:
        return self.livello == "errore"

    def text(self) -> str:
        """One line for people; values quoted in messages cannot drive the terminal (see visibile)."""
        tail = f" ({self.suggerimento})" if self.suggerimento else ""
        prefix = "" if self.is_error else "avviso: "
        return visibile(f"{self.path}:{self.line}:{self.col}: {self.campo}: {prefix}{self.messaggio}{tail}")


def sort_key(p: Problem):
    return (p.path, p.line, p.col, p.campo, p.messaggio)


def _gh_escape(value: str, prop: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


# Problems that are many by nature and would bury a volunteer's real error: one summary line each.
RIASSUNTI = {"stale": "{n} schede da riverificare: atlante stale"}


def riassumi(problems: list[Problem]) -> tuple[list[Problem], list[str]]:
    """The problems to show one by one, and one summary line per summarised kind."""
    uno_a_uno = [p for p in problems if p.codice not in RIASSUNTI]
    righe = []
    for codice, modello in RIASSUNTI.items():
        n = len({p.path for p in problems if p.codice == codice})
        if n:
            righe.append(modello.format(n=n))
    return uno_a_uno, righe


def format_text(problems: list[Problem]) -> str:
    uno_a_uno, riassunti = riassumi(problems)
    lines = [p.text() for p in uno_a_uno] + riassunti
    n_err = sum(p.is_error for p in problems)
    n_warn = len(problems) - n_err
    if n_err or n_warn:
        lines.append(f"{n_err} errori, {n_warn} avvisi.")
    return "\n".join(lines)


def format_github(problems: list[Problem], annota: set[str] | None = None) -> str:
    """Annotations; with `annota`, only on those files (a pull request's own), the rest as plain lines."""
    uno_a_uno, riassunti = riassumi(problems)
    out = [f"::notice title=Atlante::{_gh_escape(r)}" for r in riassunti]
    for p in uno_a_uno:
        if annota is not None and p.path not in annota:
            out.append(_gh_escape(p.text()))  # one line, starting with the path: never a workflow command
            continue
        kind = "error" if p.is_error else "warning"
        msg = f"{p.campo}: {p.messaggio}" + (f" ({p.suggerimento})" if p.suggerimento else "")
        out.append(
            f"::{kind} file={_gh_escape(p.path, True)},line={p.line},col={p.col},"
            f"title={_gh_escape('Atlante: ' + p.campo, True)}::{_gh_escape(msg)}"
        )
    return "\n".join(out)


def format_json(problems: list[Problem]) -> str:
    return json.dumps([asdict(p) for p in problems], ensure_ascii=False, indent=2)


FORMATTERS = {"text": format_text, "github": format_github, "json": format_json}
