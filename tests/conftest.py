"""Shared fixtures: a throw-away copy of the project to break on purpose."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from atlante.lettura.progetto import TIPI, Progetto

ROOT = Path(__file__).resolve().parent.parent


def copy_project(dest: Path, with_records: bool = True) -> Path:
    """Reference data, config and (optionally) the shipped records, in dest."""
    shutil.copytree(ROOT / "data", dest / "data")
    if not with_records:
        for t in TIPI.values():
            for f in (dest / "data" / "enti" / t.cartella).glob("*"):
                f.unlink()
    for name in ("mkdocs.yml",):
        shutil.copy(ROOT / name, dest / name)
    for d in ("content", "hooks", "site_overrides"):
        if (ROOT / d).exists():
            shutil.copytree(ROOT / d, dest / d)
    if not with_records:  # verbali and news are shipped content too: an empty project has none
        for d in ("verbali", "news"):
            shutil.rmtree(dest / "content" / d, ignore_errors=True)
    return dest


@pytest.fixture
def progetto_vuoto(tmp_path) -> Progetto:
    """A project with reference data and no records."""
    return Progetto(copy_project(tmp_path / "p", with_records=False))


@pytest.fixture
def scrivi(progetto_vuoto):
    """Write a record: scrivi("ets", "nome-file", yaml_text) -> Path."""

    def _write(tipo: str, nome: str, testo: str, raw: bytes | None = None) -> Path:
        path = progetto_vuoto.enti_dir / TIPI[tipo].cartella / nome
        if raw is not None:
            path.write_bytes(raw)
        else:
            path.write_text(textwrap.dedent(testo).lstrip("\n"), encoding="utf-8")
        return path

    return _write


@pytest.fixture(scope="session")
def sito(tmp_path_factory) -> Path:
    """The real site built once per session from a copy of the project (shipped data)."""
    from atlante.motore.costruzione import build_site

    root = copy_project(tmp_path_factory.mktemp("progetto"))
    return build_site(Progetto(root))


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session (skipped, or failed in CI, when missing)."""
    from browser import Browser, require_browser

    require_browser()
    b = Browser()
    yield b
    b.close()


@pytest.fixture(scope="session")
def server(sito):
    """Base URL of the session-built site served on localhost."""
    from browser import serve_site

    with serve_site(sito) as url:
        yield url
