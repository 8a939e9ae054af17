"""Names with apostrophes, quotes and ampersands show exactly as written everywhere.

Test-only records in a separate temporary project (never shipped): one build for the module.
"""

from __future__ import annotations

import json
import re
import textwrap

import pytest
from bs4 import BeautifulSoup

from aiuti import copy_project, frammenti_pagefind
from atlante.lettura.progetto import TIPI, Progetto
from atlante.motore.costruzione import build_site

NOMI = {
    "ets/l-arca-insieme": 'L\'Arca "Insieme" & Co.',
    "ets/il-sorriso": '"Il Sorriso"',
    "udo/bambini-e-famiglie": "Bambini & Famiglie",
}

RECORDS = {
    ("ets", "l-arca-insieme"): """
        nome: 'L''Arca "Insieme" & Co.'
        descrizione: "Accompagnamento **dell'anziano** a casa: 3 < 5 & più."
        comune: Crema
        posizione: {lat: 45.3640, lon: 9.6860}
        contatti:
          telefono: "0373 218080"
          email: info@example.org
        orari: "Mo-Fr 09:00-12:30; Sa 09:00-12:00"
        temi: [anziani]
        attivita: [trasporto sociale]
        verificato_il: 2025-01-10
        """,
    ("ets", "il-sorriso"): """
        nome: '"Il Sorriso"'
        comune: Soncino
        temi: [famiglie]
        verificato_il: 2026-10-01
        """,
    ("udo", "bambini-e-famiglie"): """
        nome: Bambini & Famiglie
        comune: Crema
        tipologia: asilo_nido
        ente_gestore: l-arca-insieme
        stato: attiva
        temi: [famiglie]
        verificato_il: 2026-10-01
        """,
    ("patto", "patto-di-prova"): """
        nome: Patto di prova
        comuni: [Crema, Soncino]
        capofila: l-arca-insieme
        aderenti: [il-sorriso]
        periodo: {inizio: 2025-01-01, fine: 2026-12-31}
        stato: in_corso
        verificato_il: 2026-10-01
        """,
}


@pytest.fixture(scope="module")
def sito_prova(tmp_path_factory):
    root = copy_project(tmp_path_factory.mktemp("escape"), with_records=False)
    for (tipo, nome), testo in RECORDS.items():
        (root / "data/enti" / TIPI[tipo].cartella / f"{nome}.yml").write_text(
            textwrap.dedent(testo).lstrip(), encoding="utf-8"
        )
    return build_site(Progetto(root))


def pagina(sito, url):
    return BeautifulSoup((sito / url / "index.html").read_text(encoding="utf-8"), "html.parser")


@pytest.mark.parametrize("chiave", list(NOMI))
def test_name_exact_in_title_heading_jsonld(sito_prova, chiave):
    tipo, rid = chiave.split("/")
    nome = NOMI[chiave]
    raw = (sito_prova / "enti" / TIPI[tipo].cartella / rid / "index.html").read_text(encoding="utf-8")
    s = BeautifulSoup(raw, "html.parser")
    assert s.title.get_text() == f"{nome} - Atlante di Comunità"
    assert s.select_one(".atlante-scheda h1").get_text() == nome
    assert s.select_one(".md-header__topic .md-ellipsis").get_text(strip=True) in (nome, "Atlante di Comunità")
    script = s.select_one('script[type="application/ld+json"]').string
    assert not re.search(r"[<>&]", script)  # nothing can close the script tag
    assert json.loads(script)["name"] == nome
    metas = s.select('meta[name="description"]')  # front matter values reach <meta> unbroken
    assert len(metas) == 1 and set(metas[0].attrs) == {"name", "content"}


def test_names_exact_in_index_table_and_links(sito_prova):
    ets = pagina(sito_prova, "enti/ets")
    assert {r.td.get_text() for r in ets.select("tbody tr")} == {NOMI["ets/l-arca-insieme"], NOMI["ets/il-sorriso"]}
    udo = pagina(sito_prova, "enti/udo/bambini-e-famiglie")
    assert udo.select_one(".atlante-ente-gestore a").get_text() == NOMI["ets/l-arca-insieme"]
    patto = pagina(sito_prova, "enti/patti/patto-di-prova")
    assert patto.select_one(".atlante-capofila a").get_text() == NOMI["ets/l-arca-insieme"]
    assert [a.get_text() for a in patto.select(".atlante-aderenti a")] == [NOMI["ets/il-sorriso"]]
    arca = pagina(sito_prova, "enti/ets/l-arca-insieme")
    assert {a.get_text() for a in arca.select(".atlante-collegati a")} == {"Bambini & Famiglie", "Patto di prova"}


def test_names_exact_in_search_index(sito_prova):
    frammenti = frammenti_pagefind(sito_prova)
    for chiave, nome in NOMI.items():
        tipo, rid = chiave.split("/")
        assert frammenti[f"/enti/{TIPI[tipo].cartella}/{rid}/"]["meta"]["title"] == nome


def test_record_page_contacts_hours_jsonld_geo_and_stale_notice(sito_prova):
    s = pagina(sito_prova, "enti/ets/l-arca-insieme")
    hrefs = [a["href"] for a in s.select(".atlante-contatti a")]
    assert hrefs == ["tel:+390373218080", "mailto:info@example.org"]
    assert [li.get_text() for li in s.select(".atlante-orari li")] == [
        "Da lunedì a venerdì: 9:00-12:30",
        "Sabato: 9:00-12:00",
    ]
    desc = s.select_one(".atlante-descrizione")
    assert desc.strong.get_text() == "dell'anziano" and desc.get_text().strip().endswith("3 < 5 & più.")
    assert "più di 12 mesi fa" in s.select_one(".atlante-verifica-vecchia").get_text()
    assert s.select_one(".atlante-posizione-approssimata") is None
    dati = json.loads(s.select_one('script[type="application/ld+json"]').string)
    assert dati["telephone"] == "0373 218080"
    assert dati["location"]["geo"] == {"@type": "GeoCoordinates", "latitude": 45.364, "longitude": 9.686}
    assert dati["location"]["openingHours"] == ["Mo-Fr 09:00-12:30", "Sa 09:00-12:00"]
    fresca = pagina(sito_prova, "enti/ets/il-sorriso")
    assert fresca.select_one(".atlante-verifica-vecchia") is None
    nido = json.loads(
        pagina(sito_prova, "enti/udo/bambini-e-famiglie").select_one('script[type="application/ld+json"]').string
    )
    assert nido["@type"] == "ChildCare"


def test_markdown_renders_raw_html_as_text():
    from atlante.pagine.impaginazione import markdown_sicuro

    out = BeautifulSoup(str(markdown_sicuro("<script>x</script> **ok** [a](javascript:alert(1))")), "html.parser")
    assert out.script is None and out.strong.get_text() == "ok"
    assert "<script>x</script>" in out.get_text()
    assert not [a for a in out.select("a[href]") if a["href"].startswith("javascript")]
