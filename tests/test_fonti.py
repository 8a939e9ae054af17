"""Every record names its source: a non-empty `fonte` that names a known source of data/fonti.yml."""

from __future__ import annotations

from aiuti import ROOT
from atlante.lettura.progetto import Progetto
from atlante.lettura.records import load_records
from atlante.modello.fonti import fonti_citate


def test_every_record_names_a_known_source():
    progetto = Progetto(ROOT)
    records = load_records(progetto, include_synthetic=False)
    assert len(records) >= 25
    senza = [r.id for r in records if not isinstance(r.get("fonte"), str) or not r.get("fonte").strip()]
    assert senza == []
    ignote = [(r.id, r.get("fonte")) for r in records if not fonti_citate(progetto, r.get("fonte"))]
    assert ignote == []


def test_known_sources_carry_licence_and_attribution():
    fonti = Progetto(ROOT).fonti
    ids = [f["id"] for f in fonti]
    assert len(ids) == len(set(ids))
    for f in fonti:
        assert f["titolo"] and f["licenza"] and f["attribuzione"] and f["riconosci"], f["id"]
    per_id = {f["id"]: f for f in fonti}
    assert per_id["cinque-per-mille-2022"]["attribuzione"] == (
        "Fonte: Liberiamoli tutti! (onData), dati Agenzia delle Entrate"
    )
    assert per_id["rsa-lombardia-2013"]["licenza"] == "IODL 2.0"
    assert per_id["iccu-2017"]["licenza"] == "CC0 1.0"


def test_a_source_is_named_by_whole_words_only():
    progetto = Progetto(ROOT)
    nomi = lambda testo: [f["id"] for f in fonti_citate(progetto, testo)]  # noqa: E731
    assert nomi("sentito dire in piazza") == []
    assert nomi("") == [] and nomi(None) == []
    assert nomi("partecipazione al tavolo") == []  # 'IPA' inside a word is not IPA
    assert nomi("IPA – Indice dei domicili digitali, 2024") == ["ipa-2024"]
    assert nomi("crema.laprovinciacr.it/news/crema/219548/") == ["pagine-web-pubbliche"]
    assert nomi("Elenco RSA accreditate, Regione Lombardia (IODL 2.0)") == ["rsa-lombardia-2013"]
    assert nomi("5 per mille 2022 (Liberiamoli tutti! – onData)") == ["cinque-per-mille-2022"]
