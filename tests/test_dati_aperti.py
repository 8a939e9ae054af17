"""Open data exports read back with independent readers (csv, json, rdflib, shapely) and
compared with the records they come from."""

from __future__ import annotations

import csv
import io
import json
import warnings
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from aiuti import ROOT
from atlante.lettura.progetto import TIPI, Progetto
from atlante.lettura.records import load_records
from atlante.motore import genera as gen

DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"


def leggi_csv(path: Path) -> list[dict]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "manca il BOM UTF-8"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))


@pytest.fixture(scope="module")
def schede():
    return [r for r in load_records(Progetto(ROOT), include_synthetic=False)]


def test_one_csv_per_kind_with_one_row_per_record(sito, schede):
    for tipo in TIPI.values():
        righe = leggi_csv(sito / "dati" / f"{tipo.cartella}.csv")
        attese = sorted((r for r in schede if r.tipo.id == tipo.id), key=lambda r: r.id)
        assert [r["id"] for r in righe] == [r.id for r in attese]
        for riga, rec in zip(righe, attese):
            assert riga["nome"] == rec.nome
            assert riga["verificato_il"] == str(rec.get("verificato_il"))
            assert [t for t in riga["temi"].split(" | ") if t] == rec.get("temi", [])
            assert riga["url"] == f"https://atlante.example.org/enti/{tipo.cartella}/{rec.id}/"
            if tipo.id != "patto":
                assert riga["comune"] == rec.get("comune")


def test_csv_derived_and_nested_columns(sito):
    servizi = {r["id"]: r for r in leggi_csv(sito / "dati" / "servizi.csv")}
    css = servizi["comunita-sociale-cremasca"]
    assert (css["comune_istat"], css["sub_ambito"], css["bacino"]) == ("019035", "crema", "ambito")
    assert css["contatti.pec"] == "amministrazione@comunitasocialecremasca.legalmail.it"
    assert css["contatti.telefono"] == ""
    assert servizi["caritas-casa-della-carita"]["contatti.telefono"] == "0373 286175 | 0373 200533"
    ets = {r["id"]: r for r in leggi_csv(sito / "dati" / "ets.csv")}
    assert ets["fondazione-l-oasi-onlus"]["runts.iscritto"] == ""
    udo = {r["id"]: r for r in leggi_csv(sito / "dati" / "udo.csv")}
    assert (udo["cure-intermedie-brunenghi"]["rete"], udo["cure-intermedie-brunenghi"]["area"]) == (
        "sociosanitaria",
        "cure intermedie",
    )
    patto = leggi_csv(sito / "dati" / "patti.csv")[0]
    assert len(patto["comuni_istat"].split(" | ")) == 48
    assert patto["periodo.inizio"] == "2023-07-01" and patto["periodo.fine"] == "2024-03-31"


def test_enti_json_holds_every_published_record(sito, schede):
    dati = json.loads((sito / "dati" / "enti.json").read_text(encoding="utf-8"))
    assert dati["numero_enti"] == len(dati["enti"]) == len(schede)
    per_id = {e["id"]: e for e in dati["enti"]}
    for r in schede:
        e = per_id[r.id]
        assert e["tipo"] == r.tipo.id and e["nome"] == r.nome
        assert e["verificato_il"] == str(r.get("verificato_il"))
        assert "sintetico" not in e
    assert per_id["patto-d-ambito-2023"]["tipologia"] == "ambito"
    assert per_id["patto-d-ambito-2023"]["periodo"] == {"inizio": "2023-07-01", "fine": "2024-03-31"}


def test_dcat_ap_it_catalogue_is_valid_json_ld_with_true_sizes(sito):
    import rdflib

    g = rdflib.Graph()
    with warnings.catch_warnings():  # rdflib's JSON-LD parser calls its own deprecated ConjunctiveGraph
        warnings.filterwarnings("ignore", category=DeprecationWarning, module="rdflib")
        g.parse(data=(sito / "dati" / "catalogo.jsonld").read_text(encoding="utf-8"), format="json-ld")
    dcat, dct = rdflib.Namespace(DCAT), rdflib.Namespace(DCT)
    cataloghi = list(g.subjects(rdflib.RDF.type, dcat.Catalog))
    assert len(cataloghi) == 1
    cat = cataloghi[0]
    assert g.value(cat, dct.title) and g.value(cat, dct.description) and g.value(cat, dct.publisher)
    assert str(g.value(cat, dct.license)) == "https://creativecommons.org/licenses/by/4.0/"
    assert g.value(cat, dct.modified).toPython().isoformat() == "2026-11-20"
    dataset = g.value(cat, dcat.dataset)
    distribuzioni = {}
    for d in g.objects(dataset, dcat.distribution):
        nome = str(g.value(d, dcat.downloadURL)).removeprefix("https://atlante.example.org/")
        distribuzioni[nome] = (
            int(g.value(d, dcat.byteSize)),
            str(g.value(d, dcat.mediaType)),
            str(g.value(d, dct.license)),
        )
    su_disco = {p.relative_to(sito).as_posix(): p.stat().st_size for p in (sito / "dati").iterdir()}
    del su_disco["dati/catalogo.jsonld"]  # the catalogue does not describe itself
    assert {k: v[0] for k, v in distribuzioni.items()} == su_disco
    assert distribuzioni["dati/ets.csv"][1:] == ("text/csv", "https://creativecommons.org/licenses/by/4.0/")
    assert distribuzioni["dati/enti.json"][1] == "application/json"


def test_open_data_page_lists_files_with_size_and_format(sito):
    pagina = BeautifulSoup((sito / "dati-aperti" / "index.html").read_text(encoding="utf-8"), "html.parser")
    prima = pagina.select("article table")[0]
    righe = {
        tr.td.get_text(strip=True): [td.get_text(strip=True) for td in tr.find_all("td")]
        for tr in prima.select("tbody tr")
    }
    assert set(righe) == {p.name for p in (sito / "dati").iterdir()}
    for nome, celle in righe.items():
        size = (sito / "dati" / nome).stat().st_size
        attesa = f"{size} byte" if size < 1000 else f"{size / 1000:.1f} kB".replace(".", ",")
        assert celle[2] == attesa and celle[3] == "CC BY 4.0"
    link = prima.select_one("a[href$='ets.csv']")
    assert (sito / "dati-aperti" / link["href"]).resolve() == (sito / "dati" / "ets.csv").resolve()
    colonne = pagina.find(id="colonne-di-etscsv-enti-del-terzo-settore").find_next("table")
    nomi = [tr.td.get_text(strip=True) for tr in colonne.select("tbody tr")]
    assert nomi == leggi_csv_intestazione(sito / "dati" / "ets.csv")


def leggi_csv_intestazione(path: Path) -> list[str]:
    return next(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig")), delimiter=";"))


def test_geojson_has_one_point_per_record_with_a_place(sito, schede):
    path = sito / "dati" / "enti.geojson"
    if not path.exists():
        pytest.skip("enti.geojson viene dal modulo delle mappe (geodati.py), non ancora presente")
    from shapely.geometry import shape

    fc = json.loads(path.read_text(encoding="utf-8"))
    ids = set()
    for f in fc["features"]:
        # a Patto di Comunità is a MultiPoint: one point per comune of the pact (geodati.py)
        assert shape(f["geometry"]).geom_type == ("MultiPoint" if f["properties"]["tipo"] == "patto" else "Point")
        ids.add(f.get("id") or f["properties"].get("id"))
    assert ids <= {r.id for r in schede}


def test_synthetic_data_never_exported_and_formulas_neutralised(progetto_vuoto, scrivi):
    scrivi(
        "ets",
        "vera.yml",
        """
        nome: Associazione di prova
        comune: Crema
        attivita: ['=HYPERLINK("http://x.invalid")', '-2+3+cmd', doposcuola]
        accessibilita: "-2+3+cmd|' /C calc'!A0"
        contatti: {telefono: '+39 0373 218820'}
        verificato_il: 2026-01-10
        """,
    )
    scrivi(
        "ets",
        "finta.yml",
        """
        nome: Ente sintetico di prova
        comune: Crema
        sintetico: true
        verificato_il: 2026-01-10
        """,
    )
    # even when a caller loads synthetic records, the exports leave them out
    ctx = gen.contesto(progetto_vuoto, config={"site_url": "https://x.invalid/"}, includi_sintetici=True)
    gen.genera(ctx)
    for path, p in ctx.generate.items():
        if path.startswith("dati/") or path in ("dati-aperti.md", "numeri.md"):
            testo = p.contenuto.decode("utf-8") if isinstance(p.contenuto, bytes) else p.contenuto
            assert "finta" not in testo and "Ente sintetico" not in testo, path
    riga = leggi_csv_from_bytes(ctx.generate["dati/ets.csv"].contenuto)[0]
    # the cell is what a spreadsheet evaluates: only its start matters
    assert riga["attivita"] == '\'=HYPERLINK("http://x.invalid") | -2+3+cmd | doposcuola'
    assert riga["accessibilita"] == "'-2+3+cmd|' /C calc'!A0"
    assert riga["contatti.telefono"] == "+39 0373 218820"
    assert json.loads(ctx.generate["dati/enti.json"].contenuto)["numero_enti"] == 1


def leggi_csv_from_bytes(raw: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))


@pytest.mark.browser
@pytest.mark.parametrize("pagina", ["dati-aperti/", "numeri/"])
def test_charts_and_tables_without_axe_violations(browser, server, pagina):
    """axe on this module's content (charts and tables); the theme's header, footer and link colours
    are checked by the site's own tests."""
    from browser import run_axe

    page = browser.new_page()
    page.goto(server + "/" + pagina)
    gravi = run_axe(page, {"include": [["article figure"], ["article table"]]})
    page.close()
    assert [(v["id"], [n["html"][:80] for n in v["nodes"]]) for v in gravi] == []


def test_filtro_md_tiene_testo_i_valori():
    from atlante.pagine.modelli import md, rendi

    assert str(md("a | <b> & c\nd")) == "a &#124; &lt;b&gt; &amp; c d"
    html = rendi(
        "tabella-conteggi.html.j2", id="t", didascalia="<i>x</i>", intestazioni=["A"], righe=[["<script>"]], totale=None
    )
    assert "<script>" not in html and "&lt;script&gt;" in html and "&lt;i&gt;x&lt;/i&gt;" in html


def test_catalogue_lists_every_file_under_dati(progetto_vuoto):
    """enti.geojson comes from the maps module: the late producer must list it with its real size."""
    from atlante.esportazioni.catalogo import catalogo_e_pagina
    from atlante.motore.genera import Pagina

    ctx = gen.contesto(
        progetto_vuoto,
        config={"site_url": "https://x.invalid/", "atlante": {"codice_ipa": "abc123", "email_dati": "udp@x.invalid"}},
    )
    gen.genera(ctx)
    geo = '{"type": "FeatureCollection", "features": []}'
    ctx.generate["dati/enti.geojson"] = Pagina("dati/enti.geojson", geo)
    pagine = {p.path: p for p in catalogo_e_pagina(ctx)}
    cat = json.loads(pagine["dati/catalogo.jsonld"].contenuto)
    dataset = cat["dcat:dataset"][0]
    dist = {d["dct:title"]: d for d in dataset["dcat:distribution"]}
    assert dist["enti.geojson"]["dcat:byteSize"]["@value"] == str(len(geo.encode("utf-8")))
    assert dist["enti.geojson"]["dcat:mediaType"] == "application/geo+json"
    assert set(dist) == {
        "biblioteche.csv",
        "confini.geojson",
        "enti.geojson",
        "enti.json",
        "ets.csv",
        "patti.csv",
        "servizi.csv",
        "udo.csv",
    }
    assert cat["dct:publisher"]["dct:identifier"] == "abc123"
    assert dataset["dcat:contactPoint"]["vcard:hasEmail"] == {"@id": "mailto:udp@x.invalid"}
    assert "[enti.geojson](dati/enti.geojson)" in pagine["dati-aperti.md"].contenuto
