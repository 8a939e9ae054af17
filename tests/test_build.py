"""The build: generated pages reach the site; invalid data leaves the old site untouched."""

from __future__ import annotations

import pytest

from aiuti import copy_project
from atlante.lettura.progetto import Progetto
from atlante.motore.costruzione import BuildFallita, build_site


def test_site_has_generated_pages(sito):
    assert (sito / "index.html").is_file()
    assert (sito / "enti" / "servizi" / "pua-crema" / "index.html").is_file()


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
    from atlante.cli.principale import main

    root = copy_project(tmp_path / "p")
    assert main(["--root", str(root), "pagine", str(tmp_path / "out")]) == 0
    text = (tmp_path / "out" / "enti" / "servizi" / "pua-crema.md").read_text(encoding="utf-8")
    assert "Punto Unico di Accesso (PUA) integrato Ambito–ASST" in text


def test_validation_in_parallel_gives_the_same_problems(tmp_path):
    from atlante.base.parallelo import InParallelo
    from atlante.validazione.controlli import validate

    root = copy_project(tmp_path / "p")
    (root / "data/enti/ets/rotta.yml").write_text("nome: Rotta\ncomune: Crmea\ntemi: 5\n", encoding="utf-8")
    progetto = Progetto(root)
    attesi = validate(progetto)
    assert any(p.is_error for p in attesi)
    assert InParallelo(validate, progetto).risultato() == attesi


def _fallisce(messaggio):
    raise ValueError(messaggio)


def test_parallel_work_raises_its_exception_in_the_caller():
    from atlante.base.parallelo import InParallelo

    lavoro = InParallelo(_fallisce, "errore nel processo figlio")
    with pytest.raises(ValueError, match="errore nel processo figlio"):
        lavoro.risultato()
    assert InParallelo(sorted, [3, 1, 2]).risultato() == [1, 2, 3]


def test_invalid_data_explains_a_crashing_generation(tmp_path, monkeypatch):
    """Pages are generated while validation runs: if generation fails on invalid data, the build
    reports the validator's messages (what a contributor can fix), not the crash."""
    from atlante.motore import genera as gen

    def rompe(ctx):
        raise RuntimeError("generazione fallita")

    monkeypatch.setattr(gen, "genera", rompe)
    root = copy_project(tmp_path / "p")
    with pytest.raises(RuntimeError, match="generazione fallita"):  # valid data: the crash itself
        build_site(Progetto(root))
    (root / "data/enti/ets/rotta.yml").write_text("nome: Rotta\ncomune: Crmea\n", encoding="utf-8")
    with pytest.raises(BuildFallita, match="comune sconosciuto 'Crmea'"):
        build_site(Progetto(root))
