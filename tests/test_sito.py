"""The public site built from the shipped records: each page family checked on the parsed HTML."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

from bs4 import BeautifulSoup


def leggi(sito: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((sito / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def test_record_page_shows_fields_and_links(sito):
    s = leggi(sito, "enti/udo/rsa-fondazione-rsa-soncino")
    scheda = s.select_one(".atlante-scheda")
    assert scheda.h1.get_text() == "RSA della Fondazione RSA Soncino"
    links = {a.get_text(strip=True): a["href"] for a in scheda.select("a")}
    dove = {
        dt.get_text(): dt.find_next_sibling("dd").a["href"]
        for dt in scheda.select("dt")
        if dt.find_next_sibling("dd").a
    }
    assert dove["Comune"] == "../../../comuni/soncino/"
    assert dove["Sub-ambito"] == "../../../sub-ambiti/soncino/"
    assert links["Anziani"] == "../../../temi/anziani/"
    # UdO -> ente gestore, and back
    assert scheda.select_one(".atlante-ente-gestore a")["href"] == "../../ets/fondazione-rsa-soncino/"
    back = leggi(sito, "enti/ets/fondazione-rsa-soncino").select(".atlante-collegati a")
    assert [a["href"] for a in back] == ["../../udo/rsa-fondazione-rsa-soncino/"]
    assert "Ultima verifica: 20 novembre 2026" in scheda.get_text()
    # no position in the record: the page says so, and the map placeholder follows the contract
    assert "Posizione approssimata" in scheda.select_one(".atlante-posizione-approssimata").get_text()
    mappa = scheda.select_one("div.atlante-mappa")
    assert (mappa["data-mappa"], mappa["data-id"], mappa["data-istat"]) == (
        "scheda",
        "rsa-fondazione-rsa-soncino",
        "019097",
    )
    # the page carries its own map point: the very feature of the open-data GeoJSON
    geo = json.loads((sito / "dati/enti.geojson").read_text(encoding="utf-8"))
    atteso = next(f for f in geo["features"] if f["properties"]["id"] == "rsa-fondazione-rsa-soncino")
    assert json.loads(mappa["data-punto"]) == atteso


def test_patto_links_both_ways(sito):
    patto = leggi(sito, "enti/patti/patto-d-ambito-2023")
    assert [a["href"] for a in patto.select(".atlante-aderenti a")] == ["../../ets/csv-lombardia-sud/"]
    assert len(patto.select(".atlante-elenco-comuni a")) == 48
    csv = leggi(sito, "enti/ets/csv-lombardia-sud")
    assert "Aderisce a: Patto d'Ambito 2023" in csv.select_one(".atlante-collegati").get_text()


def test_edit_and_report_links(sito):
    s = leggi(sito, "enti/ets/csv-lombardia-sud")
    links = {a.get_text(strip=True): a["href"] for a in s.select(".atlante-azioni a")}
    assert links["Modifica questa scheda"] == (
        "https://github.com/ambito-cremasco/atlante-di-comunita/edit/main/data/enti/ets/csv-lombardia-sud.yml"
    )
    seg = urlsplit(links["Segnala un errore"])
    assert (
        f"{seg.scheme}://{seg.netloc}{seg.path}" == "https://github.com/ambito-cremasco/atlante-di-comunita/issues/new"
    )
    q = parse_qs(seg.query)
    assert q["title"] == ["Errore nella scheda: CSV Lombardia Sud ETS"]
    # the issue form (template=) with its fields prefilled: GitHub drops a body without a template
    assert q["template"] == ["segnala-errore.yml"]
    assert q["scheda"] == ["csv-lombardia-sud"]
    assert q["pagina"] == ["https://atlante.example.org/enti/ets/csv-lombardia-sud/"]


def test_json_ld_is_valid_schema_org(sito):
    s = leggi(sito, "enti/biblioteche/biblioteca-comunale-crema")
    dati = json.loads(s.select_one('script[type="application/ld+json"]').string)
    assert dati["@type"] == "Library"
    assert dati["name"] == "Biblioteca Comunale di Crema"
    assert dati["address"]["addressLocality"] == "Crema"
    assert dati["url"] == "https://atlante.example.org/enti/biblioteche/biblioteca-comunale-crema/"


def test_nav_lists_only_the_entry_points(sito):
    """Material renders the nav into every page: it holds the fixed entry points, never records."""
    home = leggi(sito, ".")
    hrefs = list(dict.fromkeys(a["href"] for a in home.select("nav.md-nav a.md-nav__link[href]")))
    assert hrefs == [
        ".",
        "enti/",
        "mappa/",
        "verbali/",
        "news/",
        "partecipa/aggiorna-la-tua-scheda/",
        "dati-aperti/",
        "numeri/",
    ]
    cerca = {a["href"] for a in leggi(sito, "enti").select("article a[href]")}
    assert {"ets/", "biblioteche/", "udo/", "patti/", "../comuni/", "../sub-ambiti/", "../temi/"} <= cerca


def test_every_page_is_reachable_from_the_home(sito):
    """Pages out of the nav must still be found: follow the links of every page from the home."""
    pagine = {
        "/" if p.parent == sito else f"/{p.parent.relative_to(sito).as_posix()}/" for p in sito.rglob("index.html")
    }
    visti, coda = {"/"}, ["/"]
    while coda:
        url = coda.pop()
        html = (sito / url.strip("/") / "index.html").read_text(encoding="utf-8")
        for a in BeautifulSoup(html, "html.parser").select("a[href]"):
            dest = urlsplit(urljoin("http://x" + url, a["href"]))
            if dest.netloc != "x" or not dest.path.endswith("/"):
                continue
            if dest.path in pagine and dest.path not in visti:
                visti.add(dest.path)
                coda.append(dest.path)
    assert len(pagine) > 50 and pagine - visti == set()


def test_kind_index_table_is_accessible(sito):
    s = leggi(sito, "enti/ets")
    tab = s.select_one(".atlante-tabella table")
    assert tab.caption.get_text().startswith("Enti del Terzo Settore")
    assert all(th["scope"] == "col" for th in tab.select("thead th"))
    righe = tab.select("tbody tr")
    nomi = [r.td.get_text() for r in righe]
    assert nomi == sorted(nomi, key=str.casefold) and "Forum Cremasco del Terzo Settore" in nomi
    crema = [r for r in righe if r.td.get_text() == "CSV Lombardia Sud ETS"][0]
    assert crema["data-comuni"] == "019035" and "volontariato" in crema["data-temi"].split()
    for sel in tab.find_parent(class_="atlante-tabella").select("select"):
        assert s.select_one(f'label[for="{sel["id"]}"]') is not None


def test_comune_subambito_tema_pages(sito):
    c = leggi(sito, "comuni/crema")
    assert c.h1.get_text() == "Crema"
    testo = c.select_one(".atlante-gruppo").get_text(" ")
    assert "Residenti" in testo and "Sub-ambito" in testo
    assert {a.get_text() for a in c.select(".atlante-schede-ets a")} >= {
        "CSV Lombardia Sud ETS",
        "Forum Cremasco del Terzo Settore",
    }
    assert c.select_one('div.atlante-mappa[data-mappa="comune"]')["data-istat"] == "019035"
    sub = leggi(sito, "sub-ambiti/soncino")
    righe = {r.td.get_text(): [td.get_text() for td in r.select("td")] for r in sub.select("tbody tr")}
    # ets, biblio, udo, patto of Soncino, as the open-data CSVs of the same site count them
    import csv

    def quante(cartella: str) -> int:
        with (sito / "dati" / f"{cartella}.csv").open(encoding="utf-8-sig", newline="") as fh:
            righe_csv = list(csv.DictReader(fh, delimiter=";"))
        return sum(r.get("comune") == "Soncino" or "019097" in r.get("comuni_istat", "") for r in righe_csv)

    attese = [str(quante(c)) for c in ("ets", "biblioteche", "udo", "patti")]
    assert len(righe) == 11 and righe["Soncino"][2:] == attese and attese[0] != "0"
    tema = leggi(sito, "temi/anziani")
    assert {a.get_text() for a in tema.select("a")} >= {
        "RSA della Fondazione RSA Soncino",
        "Fondazione RSA Soncino ONLUS",
    }


def test_home_entry_points_and_recent_records(sito):
    s = leggi(sito, ".")
    home = s.select_one(".atlante-home")
    assert s.select_one('form[role="search"] input[name="q"]')["id"] == "atlante-cerca-q"
    ingressi = {a.get_text(strip=True): a["href"] for a in home.select(".atlante-ingressi a")}
    assert ingressi["Cerca un servizio"] == "enti/"
    pubblicate = len(list((sito / "enti").glob("*/*/index.html")))
    assert len(home.select(".atlante-recenti li")) == min(10, pubblicate)
    assert home.select_one(".atlante-slot-novita") is not None


def test_every_internal_link_resolves(sito):
    pages = [p for p in sito.rglob("index.html") if "search" not in p.parts]
    assert len(pages) > 80
    for page in pages:
        s = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for a in s.select("article a[href]"):
            href = a["href"]
            if urlsplit(href).scheme or href.startswith("#"):
                continue
            target = Path(urljoin(page.relative_to(sito).as_posix(), urlsplit(href).path))
            assert (sito / target / "index.html").is_file() or (sito / target).is_file(), (page, href)


def test_accessibility_statement_linked_in_footer(sito):
    for url in (".", "enti/ets/csv-lombardia-sud"):
        a = leggi(sito, url).select_one("footer .atlante-footer a")
        assert a.get_text() == "Dichiarazione di accessibilità"
    assert leggi(sito, "accessibilita").h1.get_text() == "Dichiarazione di accessibilità"


def test_fonts_self_hosted_no_third_party_assets(sito):
    s = leggi(sito, ".")
    for tag in s.select("link[href], script[src]"):
        url = tag.get("href") or tag.get("src")
        assert not urlsplit(url).netloc or tag.name == "link" and tag.get("rel") == ["canonical"], url
    css = (sito / "assets/stylesheets/atlante-font.css").read_text(encoding="utf-8")
    for font in re.findall(r"url\(([^)]+)\)", css):
        assert (sito / "assets/stylesheets" / font).resolve().is_file()
    assert "fonts.googleapis" not in (sito / "index.html").read_text(encoding="utf-8")


def test_search_index_splits_elisions(sito):
    index = json.loads((sito / "search/search_index.json").read_text(encoding="utf-8"))
    sep = re.compile(index["config"]["separator"])
    assert [t for t in sep.split("dell'ente dell’ente") if t] == ["dell", "ente", "dell", "ente"]
    assert index["config"]["lang"] == ["it"]
    docs = {d["location"]: d for d in index["docs"]}
    patto = docs["enti/patti/patto-d-ambito-2023/"]
    assert BeautifulSoup(patto["title"], "html.parser").get_text() == "Patto d'Ambito 2023: una Mappatura di Comunità"
    testo = " ".join(d["text"] for loc, d in docs.items() if loc.startswith("enti/ets/csv-lombardia-sud/"))
    for parola in ("coordinamento della mappatura", "Crema", "Volontariato"):
        assert parola in testo


def test_one_search_entry_per_record_made_from_its_data(sito):
    """Record, kind, comune and tema pages are indexed from data (ricerca.py), not by parsing HTML."""
    index = json.loads((sito / "search/search_index.json").read_text(encoding="utf-8"))
    schede = [p.parent.relative_to(sito).as_posix() + "/" for p in (sito / "enti").glob("*/*/index.html")]
    per_pagina: dict[str, list] = {}
    for d in index["docs"]:
        per_pagina.setdefault(d["location"].split("#")[0], []).append(d)
    assert schede and all(len(per_pagina.get(s, [])) == 1 for s in schede)
    biblioteca = per_pagina["enti/biblioteche/biblioteca-comunale-crema/"][0]
    assert biblioteca["title"] == "Biblioteca Comunale di Crema"
    testo = BeautifulSoup(biblioteca["text"], "html.parser").get_text(" ")
    assert "Biblioteca" in testo and "Comune: Crema" in testo and "Temi: " in testo
    assert not any("Modifica questa scheda" in per_pagina[s][0]["text"] for s in schede)
    # the pages that list records again (kinds, comuni, temi) have one entry each, not their tables
    for pagina, titolo in (
        ("comuni/crema/", "Crema"),
        ("enti/ets/", "Enti del Terzo Settore"),
        ("temi/anziani/", "Anziani"),
    ):
        assert [d["title"] for d in per_pagina[pagina]] == [titolo]
    crema = BeautifulSoup(per_pagina["comuni/crema/"][0]["text"], "html.parser").get_text(" ")
    assert "Sub-ambito: Crema" in crema and "Enti del Terzo Settore: " in crema
    # other pages are still indexed by Material, by section
    assert any(loc.startswith("verbali/") for loc in per_pagina)
