"""The reserved verbali's password rule: a pattern-aware estimate (zxcvbn) with the project's
own words counted as an attacker's first guesses, and `atlante password`."""

from __future__ import annotations

import os

import pytest

from aiuti import ROOT
from atlante.cli.principale import main
from atlante.lettura.progetto import Progetto
from atlante.pagine.riservati import PAROLE_PASSPHRASE, debolezza, elenco_parole, vocabolario


@pytest.fixture(scope="module")
def parole_del_sito() -> list[str]:
    return vocabolario(Progetto(ROOT))


@pytest.mark.parametrize(
    "password",
    ["Password12345678", "AmbitoCremasco2025", "abcdefgh12345678", "qwertyuiopasdfg1", "Crema-Verbali-2024!"],
)
def test_patterned_passwords_are_refused(password, parole_del_sito):
    # each is 16+ characters with 8+ different ones: only the pattern gives it away
    assert len(password) >= 16 and len(set(password)) >= 8
    motivo = debolezza(password, parole_del_sito)
    assert motivo is not None and "troppo prevedibile" in motivo


def test_the_projects_own_words_are_penalised(parole_del_sito):
    frase = "atlante di comunita cremasca"
    assert debolezza(frase) is None  # unknown words to zxcvbn's English dictionaries...
    assert "troppo prevedibile" in debolezza(frase, parole_del_sito)  # ...but this site's words
    for parola in ("crema", "cremasco", "ambito", "verbali", "offanengo", "collegio", "2025"):
        assert parola in parole_del_sito


def test_strong_passwords_pass(parole_del_sito):
    for password in ("Cavallo-batteria-graffetta-7", "kT9#vQ2!mZ7@pL4xW8rY"):
        assert debolezza(password, parole_del_sito) is None


def test_password_command_prints_a_passphrase_that_the_rule_accepts(capsys, parole_del_sito):
    parole = set(elenco_parole())
    frasi = []
    for _ in range(3):
        assert main(["--root", str(ROOT), "password"]) == 0
        out = capsys.readouterr()
        frase = out.out.strip()
        assert "\n" not in frase and "elenco EFF" in out.err
        assert len(frase.split("-")) == PAROLE_PASSPHRASE and set(frase.split("-")) <= parole
        assert debolezza(frase, parole_del_sito) is None
        frasi.append(frase)
    assert len(set(frasi)) == 3


def test_password_check_reads_the_environment_only(monkeypatch, capsys):
    monkeypatch.setenv("ATLANTE_RISERVATI_PASSWORD", "AmbitoCremasco2025")
    assert main(["--root", str(ROOT), "password", "--controlla"]) == 1
    assert "troppo prevedibile" in capsys.readouterr().out


def test_word_list_is_the_eff_list_with_its_licence_named():
    parole = elenco_parole()
    assert len(parole) == len(set(parole)) == 7776 and parole[0] == "abacus"
    leggimi = (ROOT / "scripts/atlante/pagine/parole/LEGGIMI.md").read_text(encoding="utf-8")
    assert "CC BY 3.0 US" in leggimi and "CC BY 3.0 US" in (ROOT / "README.md").read_text(encoding="utf-8")
    assert os.path.getsize(ROOT / "scripts/atlante/pagine/parole/eff_large_wordlist.txt") < 100_000
