"""The public site built from the shipped records: each page family checked on the parsed HTML."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

from aiuti import ROOT, frammenti_pagefind
from atlante.lettura.progetto import Progetto
from atlante.lettura.records import load_records


def leggi(sito: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((sito / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def test_record_page_shows_fields_and_links(sito):
    s = leggi(sito, "enti/servizi/casa-di-comunita-crema")
    scheda = s.select_one(".atlante-scheda")
    assert scheda.h1.get_text() == "Casa di Comunità di Crema"
    links = {a.get_text(strip=True): a["href"] for a in scheda.select("a")}
    dove = {
        dt.get_text(): dt.find_next_sibling("dd").a["href"]
        for dt in scheda.select("dt")
        if dt.find_next_sibling("dd").a
    }
    assert dove["Comune"] == "../../../comuni/crema/"
    assert dove["Sub-ambito"] == "../../../sub-ambiti/crema/"
    assert links["Anziani"] == "../../../temi/anziani/"
    assert scheda.select_one(".atlante-indirizzo").get_text() == "Via Gramsci 13 Crema"
    # labels from the schema, never the raw ids
    assert "Residenti di tutti i comuni dell'Ambito" == scheda.select_one(".atlante-bacino").get_text()
    assert "Casa di Comunità" in scheda.select_one(".atlante-sottotitolo").get_text()
    # servizio -> ente gestore, and back
    assert scheda.select_one(".atlante-ente-gestore a")["href"] == "../asst-crema/"
    back = [a["href"] for a in leggi(sito, "enti/servizi/asst-crema").select(".atlante-collegati a")]
    assert "../casa-di-comunita-crema/" in back and "../pua-crema/" in back
    assert "Ultima verifica: 20 novembre 2025" in scheda.get_text()
    # no position in the record: the page says so, and the map placeholder follows the contract
    assert "Posizione approssimata" in scheda.select_one(".atlante-posizione-approssimata").get_text()
    assert scheda.select_one("div.atlante-mappa") is None  # no Leaflet map on a record page
    svg = scheda.select_one("figure.atlante-mappa-svg svg")  # its small map shades the whole comune
    assert svg.select_one("path.atlante-area-ombreggiata")["d"].startswith("M")
    assert svg.select_one("circle") is None
    apri = scheda.select_one("figure.atlante-mappa-svg a")
    assert (apri.get_text(), apri["href"]) == ("Apri sulla mappa", "../../../mappa/?comune=019035")


def test_record_page_names_its_sources_and_their_licences(sito):
    caritas = leggi(sito, "enti/servizi/caritas-casa-della-carita").select_one(".atlante-scheda")
    assert [a["href"] for a in caritas.select(".atlante-contatti a[href^='tel:']")] == [
        "tel:+390373286175",
        "tel:+390373200533",
    ]
    assert caritas.select_one(".atlante-contatti a[href^='mailto:']")["href"] == "mailto:segreteria@caritascrema.it"
    consultorio = leggi(sito, "enti/servizi/consultorio-insieme-crema").select_one(".atlante-fonti-licenze")
    testo = consultorio.get_text(" ")
    assert "CC BY 4.0" in testo and "Fonte: Liberiamoli tutti! (onData), dati Agenzia delle Entrate" in testo
    assert "Pagine web pubbliche" in testo
    csc = leggi(sito, "enti/servizi/comunita-sociale-cremasca").select_one(".atlante-fonti-licenze").get_text(" ")
    assert "art. 52 del Codice dell'Amministrazione Digitale" in csc


def test_patto_links_both_ways(sito):
    patto = leggi(sito, "enti/patti/patto-d-ambito-2023")
    assert len(patto.select(".atlante-elenco-comuni a")) == 48
    assert "Tipologia di patto Patto d'Ambito" in patto.select_one(".atlante-scheda").get_text(" ", strip=True)
    sede = leggi(sito, "enti/servizi/csc-sede-via-goldaniga")
    assert sede.select_one(".atlante-ente-gestore a")["href"] == "../comunita-sociale-cremasca/"
    csc = leggi(sito, "enti/servizi/comunita-sociale-cremasca")
    assert (
        "Gestisce: Comunità Sociale Cremasca – sede di via Goldaniga" in csc.select_one(".atlante-collegati").get_text()
    )


def test_edit_and_report_links(sito):
    s = leggi(sito, "enti/servizi/pua-crema")
    links = {a.get_text(strip=True): a["href"] for a in s.select(".atlante-azioni a")}
    assert links["Modifica questa scheda"] == (
        "https://github.com/ambito-cremasco/atlante-di-comunita/edit/main/data/enti/servizi/pua-crema.yml"
    )
    seg = urlsplit(links["Segnala su GitHub"])
    assert (
        f"{seg.scheme}://{seg.netloc}{seg.path}" == "https://github.com/ambito-cremasco/atlante-di-comunita/issues/new"
    )
    q = parse_qs(seg.query)
    assert q["title"] == ["Errore nella scheda: Punto Unico di Accesso (PUA) integrato Ambito–ASST"]
    # the issue form (template=) with its fields prefilled: GitHub drops a body without a template
    assert q["template"] == ["segnala-errore.yml"]
    assert q["scheda"] == ["pua-crema"]
    assert q["pagina"] == ["https://atlante.example.org/enti/servizi/pua-crema/"]
    # without GitHub: an e-mail to the atlas's editors, with the page's address and what to write
    mail = urlsplit(links["Segnala un errore / aggiorna (email)"])
    assert mail.scheme == "mailto" and mail.path == "protocollo@comunecrema.telecompost.it"
    q = parse_qs(mail.query)
    assert "https://atlante.example.org/enti/servizi/pua-crema/" in q["body"][0]
    assert "Che cosa è sbagliato" in q["body"][0] and "Punto Unico di Accesso (PUA)" in q["subject"][0]


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
    assert {"ets/", "biblioteche/", "udo/", "patti/", "servizi/", "../comuni/", "../sub-ambiti/", "../temi/"} <= cerca


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
    s = leggi(sito, "enti/servizi")
    tab = s.select_one(".atlante-tabella table")
    assert tab.caption.get_text().startswith("Servizi")
    assert all(th["scope"] == "col" for th in tab.select("thead th"))
    righe = tab.select("tbody tr")
    nomi = [r.td.get_text() for r in righe]
    assert nomi == sorted(nomi, key=str.casefold) and "Casa di Comunità di Crema" in nomi
    pua = [r for r in righe if r.td.get_text() == "Punto Unico di Accesso (PUA) integrato Ambito–ASST"][0]
    assert pua["data-comuni"] == "019035" and "salute" in pua["data-temi"].split()
    assert "Punto Unico di Accesso (PUA)" in [td.get_text() for td in pua.select("td")]
    for sel in tab.find_parent(class_="atlante-tabella").select("select"):
        assert s.select_one(f'label[for="{sel["id"]}"]') is not None


def test_comune_subambito_tema_pages(sito):
    c = leggi(sito, "comuni/crema")
    assert c.h1.get_text() == "Crema"
    testo = c.select_one(".atlante-gruppo").get_text(" ")
    assert "Residenti" in testo and "Sub-ambito" in testo
    assert {a.get_text() for a in c.select(".atlante-schede-servizi a")} >= {
        "Casa di Comunità di Crema",
        "Centro di Ascolto diocesano – Caritas Crema",
    }
    assert c.select_one('div.atlante-mappa[data-mappa="comune"]')["data-istat"] == "019035"
    sub = leggi(sito, "sub-ambiti/soncino")
    righe = {r.td.get_text(): [td.get_text() for td in r.select("td")] for r in sub.select("tbody tr")}
    # ets, biblio, udo, patti, servizi of Soncino, as the open-data CSVs of the same site count them
    import csv

    def quante(cartella: str) -> int:
        with (sito / "dati" / f"{cartella}.csv").open(encoding="utf-8-sig", newline="") as fh:
            righe_csv = list(csv.DictReader(fh, delimiter=";"))
        return sum(r.get("comune") == "Soncino" or "019097" in r.get("comuni_istat", "") for r in righe_csv)

    attese = [str(quante(c)) for c in ("ets", "biblioteche", "udo", "patti", "servizi")]
    assert len(righe) == 11 and righe["Soncino"][2:] == attese and attese[0] != "0" and attese[2] != "0"
    tema = leggi(sito, "temi/anziani")
    assert {a.get_text() for a in tema.select("a")} >= {
        "Cure intermedie della Fondazione Benefattori Cremaschi",
        "Casa di Comunità di Crema",
    }


def test_every_comune_page_has_its_comunes_contacts_and_the_ambito_services(sito):
    """Each comune page shows its Comune's own PEC, website and address (IPA, AgID, 21/06/2024,
    in data/territorio/contatti_comuni.csv) and the services open to every resident of the Ambito."""
    progetto = Progetto(ROOT)
    ipa = progetto.territorio.contatti
    ambito = {
        r.id
        for r in load_records(progetto, include_synthetic=False)
        if r.tipo.id == "servizio" and r.get("bacino") == "ambito"
    }
    assert len(ambito) >= 5
    comuni = [c for c in progetto.territorio.comuni.values() if c.sub_ambito]
    assert len(comuni) == 48 and set(ipa) == {c.istat for c in comuni}
    for c in comuni:
        pagina = leggi(sito, f"comuni/{c.slug}")
        box = pagina.select_one(".atlante-ente-comune")
        r = ipa[c.istat]
        assert r["pec"] and r["sito_web"], c.nome
        assert box.select_one("a.atlante-pec")["href"] == f"mailto:{r['pec']}", c.nome
        sito_web = box.select_one("a.atlante-sito-comune")
        assert sito_web.get_text() == r["sito_web"] and sito_web["href"].startswith("https://"), c.nome
        assert r["indirizzo"] in box.select_one(".atlante-indirizzo").get_text(), c.nome
        assert box.h2.get_text() == f"Contatti del {r['ente']}"
        assert "Indice dei domicili digitali delle pubbliche amministrazioni (AgID), estrazione del 21/06/2024" in (
            box.select_one(".atlante-fonte").get_text()
        )
        servizi = {a["href"].rstrip("/").rsplit("/", 1)[-1] for a in pagina.select(".atlante-servizi-ambito a")}
        assert servizi == ambito, c.nome


IPA = ROOT.parent / "shared" / "realdata" / "ipa-2024" / "enti_ipa_comuni_ambito_cremasco.csv"


@pytest.mark.skipif(not IPA.exists(), reason="the IPA extract is not beside the project")
def test_comune_contacts_are_those_of_the_ipa_extract():
    with IPA.open(encoding="utf-8", newline="") as fh:
        sorgente = {r["Codice_comune_ISTAT"]: r for r in csv.DictReader(fh)}
    for istat, r in Progetto(ROOT).territorio.contatti.items():
        s = sorgente[istat]
        pec = [s[f"Mail{i}"] for i in range(1, 6) if s[f"Tipo_Mail{i}"] == "Pec"]
        assert (r["ente"], r["pec"], r["sito_web"], r["indirizzo"]) == (
            s["Denominazione_ente"],
            pec[0],
            s["Sito_istituzionale"],
            s["Indirizzo"],
        )


def test_home_entry_points_and_recent_records(sito):
    s = leggi(sito, ".")
    home = s.select_one(".atlante-home")
    form = home.select_one('form[role="search"]')
    assert form["action"] == "enti/" and form.select_one('input[name="q"]')["id"] == "atlante-cerca-q"
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


def test_footer_says_who_runs_the_site_and_links_its_pages(sito):
    for url in (".", "enti/servizi/pua-crema"):
        footer = leggi(sito, url).select_one("footer .atlante-footer")
        testi = [a.get_text() for a in footer.select("a")]
        assert testi[:5] == ["Chi siamo", "Contatti", "Privacy", "Note legali", "Dichiarazione di accessibilità"]
        assert "Codice sorgente" in testi
    assert leggi(sito, "accessibilita").h1.get_text() == "Dichiarazione di accessibilità"
    for pagina, titolo in (
        ("chi-siamo", "Chi siamo"),
        ("contatti", "Contatti"),
        ("privacy", "Privacy"),
        ("note-legali", "Note legali"),
    ):
        assert leggi(sito, pagina).h1.get_text(strip=True) == titolo
    # the header no longer shows the repository ("atlante-di-comunita" means nothing to citizens)
    assert leggi(sito, ".").select_one("header .md-source") is None


def test_contact_page_shows_the_configured_mailbox_labelled(sito):
    c = leggi(sito, "contatti")
    a = c.select_one(".atlante-contatto-redazione a")
    assert a["href"] == "mailto:protocollo@comunecrema.telecompost.it"
    # until the Ufficio di Piano sets its own mailbox, the PEC of the Ente capofila, said as such
    assert "PEC del Comune di Crema, Ente capofila" in c.select_one(".atlante-contatto-etichetta").get_text()
    assert "Piazza Duomo, 25" in c.get_text()
    # the accessibility statement points to an address, not to an unnamed office
    assert leggi(sito, "accessibilita").select_one('a[href="../contatti/"]') is not None
    # the privacy page says what the map background does
    p = leggi(sito, "privacy").select_one("#mappe").find_next("p").get_text(" ")
    assert "OpenStreetMap" in p and "indirizzo IP" in p and "Mostra la mappa di sfondo" in p


def test_404_page_is_italian_with_ways_forward(sito):
    s = BeautifulSoup((sito / "404.html").read_text(encoding="utf-8"), "html.parser")
    assert s.select_one("article h1").get_text() == "Pagina non trovata"
    hrefs = [a["href"] for a in s.select(".atlante-404 a")]
    assert hrefs[:3] == ["/", "/enti/", "/mappa/"]  # absolute: a 404 is served at any address
    assert "Not found" not in s.get_text()


def test_every_page_has_a_skip_link_to_its_content(sito):
    for url in (".", "enti/servizi/pua-crema", "mappa", "contatti", "comuni/crema", "numeri"):
        s = leggi(sito, url)
        skip = s.select("a.md-skip")
        assert len(skip) == 1, url
        target = skip[0]["href"].lstrip("#")
        assert s.find(id=target) is not None, (url, target)


def test_empty_themes_are_not_shown_and_sub_ambito_tables_are_not_contradicted(sito):
    temi = leggi(sito, "temi")
    for a in temi.select("article a[href]"):
        pagina = leggi(sito, "temi/" + a["href"].strip("./").rstrip("/"))
        assert "Nessuna scheda per ora." not in pagina.get_text(), a["href"]
    assert "Area E del Piano di Zona 2025-2027" in leggi(sito, "temi/anziani").get_text()
    sub = leggi(sito, "sub-ambiti/" + sorted(p.name for p in (sito / "sub-ambiti").iterdir() if p.is_dir())[0])
    assert sub.select_one("article table") is not None
    assert "Nessuna scheda per ora." not in sub.get_text()


def test_fonts_self_hosted_no_third_party_assets(sito):
    s = leggi(sito, ".")
    for tag in s.select("link[href], script[src]"):
        url = tag.get("href") or tag.get("src")
        assert not urlsplit(url).netloc or tag.name == "link" and tag.get("rel") == ["canonical"], url
    css = (sito / "assets/stylesheets/atlante-font.css").read_text(encoding="utf-8")
    for font in re.findall(r"url\(([^)]+)\)", css):
        assert (sito / "assets/stylesheets" / font).resolve().is_file()
    assert "fonts.googleapis" not in (sito / "index.html").read_text(encoding="utf-8")


def test_search_index_reads_content_areas_only(sito):
    """Pagefind indexes record, comune and tema pages from their content area: no navigation,
    footer or "Modifica questa scheda"; kind tables, the finder and editor pages are left out."""
    frammenti = frammenti_pagefind(sito)
    biblioteca = frammenti["/enti/biblioteche/biblioteca-comunale-crema/"]
    assert biblioteca["meta"]["title"] == "Biblioteca Comunale di Crema"
    assert biblioteca["filters"]["comune"] == ["Crema"] and biblioteca["filters"]["tipo"] == ["Biblioteca"]
    schede = [f["content"] for u, f in frammenti.items() if u.startswith("/enti/")]
    assert len(schede) >= 7
    for testo in schede:
        assert "Modifica questa scheda" not in testo and "Dichiarazione di accessibilità" not in testo
        assert "Fonte e aggiornamento" not in testo and "Ultima verifica" not in testo
    assert "Sub-ambito Crema" in frammenti["/comuni/crema/"]["content"]  # cells kept apart
    assert "/temi/anziani/" in frammenti
    for escluso in ("/enti/ets/", "/enti/", "/partecipa/aggiorna-la-tua-scheda/"):
        assert escluso not in frammenti
    assert not [u for u in frammenti if u.startswith("/partecipa/")]
    assert not (sito / "search" / "search_index.json").exists()


def test_open_data_page_names_every_source_with_its_licence(sito):
    pagina = leggi(sito, "dati-aperti")
    tabella = next(t for t in pagina.select("table") if "Attribuzione da citare" in t.get_text())
    righe = {
        r.td.get_text(" ", strip=True): [td.get_text(" ", strip=True) for td in r.select("td")]
        for r in tabella.select("tbody tr")
    }
    licenze = {nome.split(" (")[0]: r[2] for nome, r in righe.items()}
    assert licenze["Anagrafe delle biblioteche italiane"] == "CC0 1.0"
    assert licenze["Elenco RSA accreditate"] == "IODL 2.0"
    assert licenze["Beneficiari del 5 per mille 2022"] == "CC BY 4.0"
    attribuzioni = [r[3] for r in righe.values()]
    assert "Fonte: Liberiamoli tutti! (onData), dati Agenzia delle Entrate" in attribuzioni
    assert "Regione Lombardia" in attribuzioni
    testo = pagina.get_text(" ")
    assert (
        "IPA – Indice dei domicili digitali delle pubbliche amministrazioni (AgID), estrazione del 21/06/2024" in testo
    )


def test_home_and_numbers_tell_the_atlas_from_the_2023_mapping(sito):
    """What the atlas holds (its records, by source) and what the 2023 mapping counted (386 enti)."""
    n = sum(1 for _ in (sito / "enti").glob("*/*/index.html"))
    home = leggi(sito, ".").select_one(".atlante-contenuto").get_text(" ", strip=True)
    assert f"Oggi l'Atlante contiene {n} schede" in home
    assert "386 enti" in home and "non è nell'Atlante" in home
    assert "Piano di Zona 2025-2027 dell'Ambito di Crema (" in home
    numeri = leggi(sito, "numeri")
    voci = [li.get_text(strip=True) for li in numeri.select("article ul")[0].select("li")]
    assert voci[0].startswith(f"Schede nell'Atlante: {n} (")
    assert any("386" in v for v in voci)
    fonti = {r.th.get_text(): int(r.select("td")[-1].get_text()) for r in numeri.select("#tabella-fonti tbody tr")}
    assert "Nessuna fonte nota" not in fonti
    assert fonti["Piano di Zona 2025-2027 dell'Ambito di Crema"] >= 5 and sum(fonti.values()) >= n
    patto = leggi(sito, "enti/patti/patto-d-ambito-2023").select_one(".atlante-descrizione").get_text(" ")
    assert "Ha censito 386 enti" in patto and "non sono quel censimento" in " ".join(patto.split())
