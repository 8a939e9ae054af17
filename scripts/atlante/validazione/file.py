"""The files themselves: every file under data/enti/ and content/ is read by the build or
reported here, and nothing under the project's source folders points outside it.

A symbolic link in content/ is published as the file it points to (once a reserved verbale's
plaintext, through a committed relative link); a record in a subfolder, or named `.x.yml`,
was silently skipped by both validation and build. Each becomes a problem naming the file.
"""

from __future__ import annotations

import os
from pathlib import Path

from atlante.base.formato import slug
from atlante.base.problems import Problem
from atlante.lettura.progetto import TIPO_PER_CARTELLA, Progetto
from atlante.lettura.records import ID_RE

SORGENTI = ("data", "content", "site_overrides")  # what the build reads: no link may leave them
CAMPO = "(file)"
TEMPORANEO_IMPORT = ".importa-"
_CARTELLE = ", ".join(f"data/enti/{c}/" for c in TIPO_PER_CARTELLA)


def controlla_file(progetto: Progetto) -> list[Problem]:
    """Links anywhere under the source folders; stray files in data/enti/ and content/."""
    out: list[Problem] = []
    for s in SORGENTI:
        out.extend(_collegamenti(progetto, progetto.root / s))
    out.extend(_enti(progetto))
    out.extend(_contenuti(progetto))
    return out


def collegamento(progetto: Progetto, path: Path) -> Problem | None:
    """The problem with `path` if it is a symbolic link (or, through a linked folder, resolves
    outside the project)."""
    if path.is_symlink():
        try:
            dove = os.readlink(path)
        except OSError:
            dove = "?"
        return _p(
            progetto,
            path,
            f"collegamento simbolico (punta a '{dove}'): non ammesso, la costruzione pubblicherebbe il file "
            "a cui punta",
            "metti al suo posto una copia del file, se deve essere pubblicato",
        )
    try:
        fuori = not path.resolve().is_relative_to(progetto.root)
    except OSError:
        fuori = True
    if fuori:
        return _p(progetto, path, "il file è fuori dal progetto (attraverso un collegamento): non ammesso")
    return None


def _collegamenti(progetto: Progetto, base: Path) -> list[Problem]:
    out = []
    if base.is_symlink():
        return [collegamento(progetto, base)]
    for cartella, sottocartelle, files in os.walk(base):  # links to folders are not followed
        for nome in sottocartelle + files:
            p = Path(cartella) / nome
            if p.is_symlink():
                out.append(collegamento(progetto, p))
    return out


def _enti(progetto: Progetto) -> list[Problem]:
    out = []
    base = progetto.enti_dir
    if not base.is_dir():
        return out
    for p in sorted(base.iterdir()):
        if p.is_symlink():
            continue  # reported as a link
        if p.name.startswith(TEMPORANEO_IMPORT):
            out.append(
                _p(
                    progetto,
                    p,
                    "cartella lasciata da un'importazione interrotta: non viene letta",
                    "cancellala (lo fa anche il prossimo `atlante import`)",
                )
            )
        elif p.is_dir() and p.name in TIPO_PER_CARTELLA:
            out.extend(_cartella_tipo(progetto, p))
        elif p.is_dir():
            out.append(
                _p(
                    progetto,
                    p,
                    "cartella sconosciuta in data/enti/: non viene letta",
                    f"le schede vanno in {_CARTELLE}",
                )
            )
        elif p.name != ".gitkeep":
            out.append(
                _p(progetto, p, "file direttamente in data/enti/: non viene letto", f"spostalo in una di {_CARTELLE}")
            )
    return out


def _cartella_tipo(progetto: Progetto, cartella: Path) -> list[Problem]:
    out = []
    for p in sorted(cartella.iterdir()):
        if p.is_symlink() or p.name == ".gitkeep":
            continue
        if p.is_dir():
            dentro = [f for f in sorted(p.rglob("*")) if (f.is_file() or f.is_symlink()) and f.name != ".gitkeep"]
            dove = progetto.rel(cartella)
            out.extend(
                _p(progetto, f, f"scheda in una sottocartella di {dove}/: non viene letta", f"spostala in {dove}/")
                for f in dentro
            )
        elif p.name.startswith("."):
            out.append(_nascosto(progetto, p))
    return out


def _nascosto(progetto: Progetto, p: Path) -> Problem:
    nome = p.name.lstrip(".")
    return _p(
        progetto,
        p,
        f"nome del file non valido '{p.name}': un nome che comincia con un punto è ignorato dalla costruzione",
        f"rinominalo in {nome}" if nome and nome.removesuffix(".yml").removesuffix(".md") else None,
    )


def _contenuti(progetto: Progetto) -> list[Problem]:
    """content/: no hidden files (MkDocs skips them), page names fit in a URL, news and verbali
    where their validators read them."""
    out = []
    base = progetto.content_dir
    if not base.is_dir():
        return out
    for cartella, sottocartelle, files in os.walk(base):
        sottocartelle.sort()
        here = Path(cartella)
        for nome in sorted(files):
            p = here / nome
            if p.is_symlink() or nome == ".gitkeep":
                continue
            rel = p.relative_to(base).parts
            if any(parte.startswith(".") for parte in rel):
                out.append(_nascosto(progetto, p))
                continue
            if p.suffix != ".md":
                continue
            if rel[0] == "news" and len(rel) > 2:
                out.append(
                    _p(
                        progetto,
                        p,
                        "notizia in una sottocartella di content/news/: non viene controllata né elencata",
                        "spostala in content/news/",
                    )
                )
            elif p.stem != "index" and not ID_RE.match(p.stem):
                out.append(
                    _p(
                        progetto,
                        p,
                        f"nome del file non valido '{nome}': solo lettere minuscole, cifre e trattini "
                        "(il nome diventa l'indirizzo della pagina)",
                        f"rinominalo in {slug(p.stem)}.md" if slug(p.stem) else None,
                    )
                )
    return out


def _p(progetto: Progetto, path: Path, messaggio: str, suggerimento: str | None = None) -> Problem:
    return Problem(progetto.rel(path), 1, 1, CAMPO, messaggio, suggerimento)
