"""The build: generated pages reach the site; invalid data leaves the old site untouched."""
from __future__ import annotations

import pytest

from atlante.costruzione import BuildFallita, build_site
from atlante.progetto import Progetto
from conftest import copy_project


def test_site_has_generated_pages(sito):
    assert (sito / "index.html").is_file()
    assert (sito / "enti" / "ets" / "csv-lombardia-sud" / "index.html").is_file()


def test_invalid_data_stops_build_and_keeps_previous_site(tmp_path):
    root = copy_project(tmp_path / "p")
    progetto = Progetto(root)
    site = build_site(progetto)
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    bad = root / "data" / "enti" / "ets" / "rotta.yml"
    bad.write_text("nome: Rotta\ncomune: Crmea\nverificato_il: 2026-01-01\n", encoding="utf-8")
    with pytest.raises(BuildFallita) as exc:
        build_site(progetto)
    assert "data/enti/ets/rotta.yml:2:9: comune: comune sconosciuto 'Crmea'" in str(exc.value)
    after = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before
    assert not [p for p in tmp_path.joinpath("p").iterdir() if p.name.startswith(".site")]


def test_pagine_command_writes_markdown(tmp_path):
    from atlante.cli import main

    root = copy_project(tmp_path / "p")
    assert main(["--root", str(root), "pagine", str(tmp_path / "out")]) == 0
    text = (tmp_path / "out" / "enti" / "ets" / "csv-lombardia-sud.md").read_text(encoding="utf-8")
    assert "CSV Lombardia Sud ETS" in text
