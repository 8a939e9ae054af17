"""Build the site atomically: into a temporary folder, swapped in only when complete.

A build that fails (invalid data, a crashing step, Ctrl-C) leaves the previous site/ as it was.
The target folder is replaced as a whole, so it must be one that a build made: a marker file
says so, and a folder that holds the project or its sources, or anything else, is refused.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from atlante.base.segnali import pulisci_avanzi, rileva, rinviati
from atlante.lettura.progetto import Progetto

MARCATORE_SITO = ".atlante-sito"  # written into every built site: the folder may be replaced
MARCATORE_PAGINE = ".atlante-pagine"  # written by `atlante pagine`: the folder holds generated pages
SORGENTI = ("data", "content", "site_overrides", "hooks", "scripts", "tests", ".git")


class BuildFallita(Exception):
    pass


class DestinazioneVietata(Exception):
    """The target folder must not be written (or replaced) by a build: it holds something else."""


def controlla_destinazione(progetto: Progetto, dest: Path, marcatore: str) -> Path:
    """The resolved target, if a build may replace it; DestinazioneVietata otherwise.

    Refused: the project root or a folder containing it; a source folder (data/, content/,
    site_overrides/...), one inside it or containing it; a file; a non-empty folder without
    the marker of a previous build."""
    dest = Path(dest).resolve()
    root = progetto.root
    nome = progetto.rel(dest) if dest.is_relative_to(root) else str(dest)
    if root.is_relative_to(dest):
        raise DestinazioneVietata(
            f"{nome}: è la cartella del progetto o la contiene; scegli una cartella vuota o un sito già costruito"
        )
    for s in SORGENTI:
        sorgente = root / s
        if sorgente.is_relative_to(dest) or dest.is_relative_to(sorgente):
            raise DestinazioneVietata(
                f"{nome}: è dentro {s}/ o lo contiene, e {s}/ contiene file del progetto che verrebbero "
                "sostituiti; scegli un'altra cartella (predefinita: site/)"
            )
    if dest.is_symlink() or (dest.exists() and not dest.is_dir()):
        raise DestinazioneVietata(f"{nome}: non è una cartella")
    if dest.is_dir() and any(dest.iterdir()) and not (dest / marcatore).is_file():
        raise DestinazioneVietata(
            f"{nome}: la cartella non è vuota e non è stata creata dall'Atlante (manca il file {marcatore}); "
            "il suo contenuto verrebbe cancellato. Scegli una cartella vuota o svuotala a mano"
        )
    return dest


def _permessi_normali(cartella: Path) -> None:
    """mkdtemp makes a 0700 folder: give it the mode a plain mkdir would have (0755 with the
    usual umask), so a copy with rsync -a stays readable by a web server."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(cartella, 0o777 & ~umask)


def build_site(progetto: Progetto, site_dir: Path | None = None, strict: bool = True) -> Path:
    """Run the MkDocs build into a sibling temp folder, then replace site_dir with it."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    site_dir = controlla_destinazione(progetto, site_dir or progetto.root / "site", MARCATORE_SITO)
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    nuovo, vecchio = f".{site_dir.name}.nuovo-", f".{site_dir.name}.vecchio-"
    pulisci_avanzi(site_dir.parent, (nuovo, vecchio))
    tmp = Path(tempfile.mkdtemp(prefix=f"{nuovo}{os.getpid()}-", dir=site_dir.parent))
    try:
        _permessi_normali(tmp)
        config = load_config(config_file=str(progetto.root / "mkdocs.yml"), site_dir=str(tmp), strict=strict)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
        (tmp / MARCATORE_SITO).write_text(
            "Sito costruito da `atlante build`: la prossima costruzione sostituisce tutta questa cartella.\n",
            encoding="utf-8",
        )
        rileva()  # a Ctrl-C swallowed during the build (e.g. while forking) still stops it here
    except (MkDocsException, SystemExit) as e:
        shutil.rmtree(tmp, ignore_errors=True)
        raise BuildFallita(str(e)) from e
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    # the swap and the removal of the old site finish before a Ctrl-C is raised: no .site.vecchio-
    # folder left beside the new site
    with rinviati():
        old = None
        if site_dir.exists():
            old = site_dir.with_name(f"{vecchio}{os.getpid()}")
            os.replace(site_dir, old)
        os.replace(tmp, site_dir)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    return site_dir
