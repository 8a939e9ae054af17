"""One record with tricky values, read back from every output: each says the same canonical comune,
ISTAT code, name and URL (the resolved model, atlante.modello.schede, is the one source)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup

from aiuti import copy_project, frammenti_pagefind
from atlante.lettura.progetto import Progetto
from atlante.motore.costruzione import build_site
from test_geodati import _decodifica_punti

NOME_ETS = 'L\'Arca "Insieme" & Co.'
NOME_PATTO = 'Patto "Prova" dell\'Ambito'
URL_ETS = "enti/ets/l-arca-insieme/"
URL_PATTO = "enti/patti/patto-prova/"
BASE = "https://atlante.example.org/"


@pytest.fixture(scope="module")
def sito(tmp_path_factory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("coerenza"), with_records=False)
    (root / "data/enti/ets/l-arca-insieme.yml").write_text(
        "nome: 'L''Arca \"Insieme\" & Co.'\n"
        "comune: CREMA\n"  # capitals: the territory's name is Crema
        "forma_giuridica: associazione\n"
        "verificato_il: 2026-11-20\n"
        "fonte: prova\n",
        encoding="utf-8",
    )
    (root / "data/enti/patti/patto-prova.yml").write_text(
        "nome: 'Patto \"Prova\" dell''Ambito'\n"
        # one comune under its official name and under its alias: it is one comune
        "comuni: [Casale Cremasco-Vidolasco, Casale Cremasco, crema]\n"
        "verificato_il: 2026-11-20\n"
        "fonte: prova\n",
        encoding="utf-8",
    )
    return build_site(Progetto(root))


def _html(sito: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((sito / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def _csv(sito: Path, nome: str) -> dict[str, dict]:
    testo = (sito / "dati" / nome).read_text(encoding="utf-8-sig")
    return {r["id"]: r for r in csv.DictReader(io.StringIO(testo), delimiter=";")}


def test_record_page(sito):
    s = _html(sito, URL_ETS)
    assert s.select_one("h1").get_text(strip=True) == NOME_ETS
    assert s.select_one('link[rel="canonical"]')["href"] == BASE + URL_ETS
    assert [a.get_text(strip=True) for a in s.select('a[href*="comuni/"]') if "crema" in a["href"]][:1] == ["Crema"]
    assert "CREMA" not in s.select_one("article").get_text()
    patto = _html(sito, URL_PATTO)
    comuni = [a.get_text(strip=True) for a in patto.select("article a[href*='comuni/']")]
    assert comuni == ["Casale Cremasco-Vidolasco", "Crema"]


def test_kind_index_and_comune_page(sito):
    riga = next(tr for tr in _html(sito, "enti/ets").select("tbody tr") if NOME_ETS in tr.get_text())
    assert riga["data-comuni"] == "019035"
    assert [a.get_text(strip=True) for a in riga.select("td")[1].select("a")] == ["Crema"]
    crema = _html(sito, "comuni/crema")
    assert NOME_ETS in [a.get_text(strip=True) for a in crema.select("article a")]
    assert NOME_PATTO in [
        a.get_text(strip=True) for a in _html(sito, "comuni/casale-cremasco-vidolasco").select("article a")
    ]


def test_map_points_and_geojson(sito):
    punti = _decodifica_punti(json.loads((sito / "mappa/punti.json").read_text(encoding="utf-8")))
    assert punti["l-arca-insieme"]["nome"] == NOME_ETS
    assert punti["l-arca-insieme"]["url"] == URL_ETS
    assert punti["l-arca-insieme"]["comuni"] == ["019035"]
    assert punti["l-arca-insieme"]["nomi_comuni"] == ["Crema"]
    assert punti["patto-prova"]["comuni"] == ["019017", "019035"]
    geo = json.loads((sito / "dati/enti.geojson").read_text(encoding="utf-8"))
    props = {f["properties"]["id"]: f["properties"] for f in geo["features"]}
    assert (props["l-arca-insieme"]["comune"], props["l-arca-insieme"]["istat"]) == ("Crema", "019035")
    assert props["l-arca-insieme"]["url"] == URL_ETS
    assert props["patto-prova"]["comuni"] == ["019017", "019035"]
    comune = _decodifica_punti(json.loads((sito / "mappa/comuni/019035.json").read_text(encoding="utf-8")))
    assert set(comune) == {"l-arca-insieme", "patto-prova"}


def test_csv_and_json_exports(sito):
    ets = _csv(sito, "ets.csv")["l-arca-insieme"]
    assert (ets["nome"], ets["comune"], ets["comune_istat"], ets["url"]) == (
        NOME_ETS,
        "Crema",
        "019035",
        BASE + URL_ETS,
    )
    patto = _csv(sito, "patti.csv")["patto-prova"]
    assert patto["comuni_istat"] == "019017 | 019035"
    assert patto["comuni"] == "Casale Cremasco-Vidolasco | Crema"
    assert patto["url"] == BASE + URL_PATTO
    enti = {e["id"]: e for e in json.loads((sito / "dati/enti.json").read_text(encoding="utf-8"))["enti"]}
    assert (enti["l-arca-insieme"]["comune"], enti["l-arca-insieme"]["comune_istat"]) == ("Crema", "019035")
    assert enti["l-arca-insieme"]["url"] == BASE + URL_ETS
    assert enti["patto-prova"]["comuni_istat"] == ["019017", "019035"]


def test_feed_and_search_entry(sito):
    feed = feedparser.parse((sito / "feed/mappatura.rss.xml").read_bytes())
    voce = next(e for e in feed.entries if e.link == BASE + URL_ETS)
    assert NOME_ETS in voce.title
    doc = frammenti_pagefind(sito)["/" + URL_ETS]
    assert doc["meta"]["title"] == NOME_ETS
    assert doc["filters"]["comune"] == ["Crema"] and doc["meta"]["comune"] == "Crema"
    assert "CREMA" not in doc["content"]
