"""Files the atlas must never touch or publish: --site-dir and `atlante pagine` targets,
symlinks, interrupted runs, files that a validation would silently skip."""

from __future__ import annotations

import os
import stat

import pytest

from aiuti import copy_project
from atlante.cli.principale import main


def _albero(d):
    return {p.relative_to(d).as_posix(): p.read_bytes() for p in sorted(d.rglob("*")) if p.is_file()}


@pytest.fixture
def progetto_copia(tmp_path):
    return copy_project(tmp_path / "p")


@pytest.mark.parametrize("bersaglio", [".", "data", "content", "site_overrides", "data/enti", "..", "content/news"])
def test_build_refuses_a_site_dir_holding_the_project_or_its_sources(progetto_copia, capsys, bersaglio):
    root = progetto_copia
    (root / "data/enti/ets/non-ancora-committata.yml").write_text("nome: Bozza\n", encoding="utf-8")
    prima = _albero(root.parent)
    rc = main(["--root", str(root), "build", "--site-dir", str(root / bersaglio)])
    err = capsys.readouterr().err
    assert rc == 2
    assert err.startswith("atlante build: --site-dir ")
    assert "Nessun file toccato." in err
    assert _albero(root.parent) == prima


def test_build_refuses_a_non_empty_folder_that_is_not_a_previous_build(progetto_copia, tmp_path, capsys):
    altro = tmp_path / "documenti"
    altro.mkdir()
    (altro / "tesi.odt").write_bytes(b"mia")
    rc = main(["--root", str(progetto_copia), "build", "--site-dir", str(altro)])
    err = capsys.readouterr().err
    assert rc == 2
    assert "la cartella non è vuota e non è stata creata dall'Atlante (manca il file .atlante-sito)" in err
    assert (altro / "tesi.odt").read_bytes() == b"mia"


def test_pagine_refuses_to_overwrite_hand_written_content(progetto_copia, capsys):
    prima = _albero(progetto_copia)
    for bersaglio in ("content", "content/verbali", ".", "data"):
        rc = main(["--root", str(progetto_copia), "pagine", str(progetto_copia / bersaglio)])
        assert rc == 2
        assert "atlante pagine: " in capsys.readouterr().err
    assert _albero(progetto_copia) == prima


def test_pagine_refuses_a_foreign_folder_but_rewrites_its_own(progetto_copia, tmp_path, capsys):
    altro = tmp_path / "altro"
    altro.mkdir()
    (altro / "appunti.md").write_text("miei", encoding="utf-8")
    assert main(["--root", str(progetto_copia), "pagine", str(altro)]) == 2
    assert "manca il file .atlante-pagine" in capsys.readouterr().err
    out = tmp_path / "out"
    assert main(["--root", str(progetto_copia), "pagine", str(out)]) == 0
    assert main(["--root", str(progetto_copia), "pagine", str(out)]) == 0  # its own output: rewritten


def test_site_has_normal_permissions_and_no_leftovers(progetto_copia, tmp_path):
    from atlante.lettura.progetto import Progetto
    from atlante.motore.costruzione import build_site

    # leftovers of a killed build (a pid that cannot be running) are cleaned by the next one
    avanzo = progetto_copia / ".site.nuovo-999999999-abc"
    avanzo.mkdir()
    (avanzo / "index.html").write_text("vecchio", encoding="utf-8")
    vecchia_umask = os.umask(0o022)
    try:
        site = build_site(Progetto(progetto_copia))
    finally:
        os.umask(vecchia_umask)
    assert not avanzo.exists()
    assert (site / ".atlante-sito").is_file()
    assert stat.S_IMODE(site.stat().st_mode) == 0o755
    assert stat.S_IMODE((site / "index.html").stat().st_mode) == 0o644
    assert stat.S_IMODE((site / "enti").stat().st_mode) == 0o755
