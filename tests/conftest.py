"""Shared fixtures: a throw-away copy of the project to break on purpose."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from aiuti import ROOT, copy_project  # noqa: F401 - ROOT is used by fixtures below
from atlante.lettura.progetto import TIPI, Progetto


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


@pytest.fixture(autouse=True)
def _close_browser_pages(request):
    """Close the browser contexts a test opened, so that none outlives its test."""
    yield
    if "browser" in request.fixturenames:
        request.getfixturevalue("browser").close_contexts()


@pytest.fixture(scope="session")
def server(sito):
    """Base URL of the session-built site served on localhost."""
    from browser import serve_site

    with serve_site(sito) as url:
        yield url
