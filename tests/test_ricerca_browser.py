"""Search as a citizen searches, in Chromium, on a site built once for this module.

The records are fixtures written here from public facts in ../shared/realdata (ICCU 2017 library
list, Regione Lombardia 2013 list of accredited RSA, services' public pages in servizi/fatti.csv):
the corpus does not depend on which records the shipped data holds today.
"""

from __future__ import annotations

import re
import textwrap

import pytest

from aiuti import copy_project
from atlante.lettura.progetto import Progetto
from atlante.motore.costruzione import build_site
from browser import run_axe, serve_site

pytestmark = pytest.mark.browser

SCHEDE = {
    "biblioteche/biblioteca-comunale-pandino.yml": """
        nome: Biblioteca comunale di Pandino
        comune: Pandino
        indirizzo: Via Castello 15
        cap: "26025"
        posizione: {lat: 45.40551, lon: 9.553211}
        tipo: biblioteca
        isil: IT-CR0113
        contatti: {telefono: "+39 0373 973313"}
        verificato_il: 2017-06-30
        fonte: ICCU, Anagrafe delle biblioteche italiane (2017), CC0 1.0
        """,
    "biblioteche/biblioteca-comunale-crema.yml": """
        nome: Biblioteca comunale di Crema
        comune: Crema
        indirizzo: Via Civerchi 9
        cap: "26013"
        posizione: {lat: 45.3639287, lon: 9.6894999}
        tipo: biblioteca
        isil: IT-CR0056
        verificato_il: 2017-06-30
        fonte: ICCU, Anagrafe delle biblioteche italiane (2017), CC0 1.0
        """,
    "biblioteche/biblioteca-istituto-suore-adoratrici.yml": """
        nome: Biblioteca dell'Istituto delle Suore Adoratrici del SS. Sacramento
        comune: Rivolta d'Adda
        indirizzo: Via S. Francesco d'Assisi 16
        cap: "26027"
        tipo: biblioteca
        isil: IT-CR0238
        verificato_il: 2017-06-30
        fonte: ICCU, Anagrafe delle biblioteche italiane (2017), CC0 1.0
        """,
    "udo/rsa-fondazione-rsa-di-soncino.yml": """
        nome: RSA Fondazione R.S.A. di Soncino
        comune: Soncino
        indirizzo: Largo Capretti 2
        cap: "26029"
        tipologia: rsa
        accreditata: true
        temi: [anziani]
        verificato_il: 2013-06-30
        fonte: Regione Lombardia, Elenco RSA accreditate (2013), IODL 2.0
        """,
    "udo/rsa-fondazione-giuseppina-brunenghi.yml": """
        nome: RSA Fondazione Giuseppina Brunenghi
        comune: Castelleone
        indirizzo: Via Beccadello 6
        cap: "26012"
        tipologia: rsa
        accreditata: true
        temi: [anziani]
        verificato_il: 2013-06-30
        fonte: Regione Lombardia, Elenco RSA accreditate (2013), IODL 2.0
        """,
    "udo/cdi-palazzo-tadini.yml": """
        nome: Centro Diurno Integrato di palazzo Tadini
        comune: Crema
        indirizzo: Via Tadini
        tipologia: cdi
        posti: 20
        accreditata: true
        temi: [anziani]
        verificato_il: 2022-10-22
        fonte: cremaonline.it, 22/10/2022
        """,
    "udo/consultorio-familiare-insieme.yml": """
        nome: Consultorio familiare Insieme
        comune: Crema
        indirizzo: Via Carlo Urbino 23
        tipologia: consultorio_familiare
        temi: [famiglie]
        verificato_il: 2021-09-01
        fonte: servizi/fatti.csv (2021)
        """,
    "ets/caritas-centro-di-ascolto.yml": """
        nome: Caritas Crema - Centro di Ascolto diocesano
        comune: Crema
        indirizzo: Viale Europa 2
        cap: "26013"
        contatti: {telefono: "0373 200533"}
        orari: Mo,Tu,Fr 09:00-12:00
        temi: [poverta-inclusione]
        verificato_il: 2025-01-01
        fonte: servizi/fatti.csv (sito della Caritas diocesana di Crema)
        """,
    "ets/orientafamiglie.yml": """
        nome: Orientafamiglie - sportello per le famiglie
        comune: Crema
        forma_giuridica: ente_pubblico
        contatti: {telefono: "0373 894500"}
        orari: 'Mo 18:00-20:00; Tu 14:00-16:00; Th 09:00-11:00 "solo su appuntamento"'
        temi: [famiglie]
        verificato_il: 2025-01-01
        fonte: servizi/fatti.csv (Comune di Crema)
        """,
    "ets/rifugio-notturno-san-martino.yml": """
        nome: Rifugio notturno San Martino
        comune: Crema
        indirizzo: Via Civerchi
        temi: [poverta-inclusione]
        verificato_il: 2025-11-10
        fonte: servizi/fatti.csv (2025)
        """,
}

# query -> a record expected among the first three results
CORPUS = [
    ("biblioteca Pandino", "biblioteca-comunale-pandino"),  # need + comune
    ("biblioteche Pandino", "biblioteca-comunale-pandino"),  # plural
    ("casa di riposo Soncino", "rsa-fondazione-rsa-di-soncino"),  # synonym + comune
    ("casa di riposo", "rsa-fondazione-rsa-di-soncino"),  # synonym
    ("residenza Castelleone", "rsa-fondazione-giuseppina-brunenghi"),  # tipologia's common name
    ("RSA Castelleone", "rsa-fondazione-giuseppina-brunenghi"),  # acronym + comune
    ("CDI", "cdi-palazzo-tadini"),  # acronym
    ("centro diurno", "cdi-palazzo-tadini"),  # synonym
    ("anziano Crema", "cdi-palazzo-tadini"),  # singular for "anziani"
    ("dell'anziano Crema", "cdi-palazzo-tadini"),  # elided query
    ("istituto Rivolta", "biblioteca-istituto-suore-adoratrici"),  # elided text: "dell'Istituto"
    ("dell'istituto", "biblioteca-istituto-suore-adoratrici"),  # both sides elided
    ("consultorio", "consultorio-familiare-insieme"),
    ("gravidanza", "consultorio-familiare-insieme"),  # synonym of consultorio
    ("dormitorio", "rifugio-notturno-san-martino"),  # synonym of the tema
]


@pytest.fixture(scope="module")
def sito_ricerca(tmp_path_factory):
    root = copy_project(tmp_path_factory.mktemp("ricerca") / "p", with_records=False)
    for path, testo in SCHEDE.items():
        (root / "data" / "enti" / path).write_text(textwrap.dedent(testo).lstrip(), encoding="utf-8")
    return build_site(Progetto(root))


@pytest.fixture(scope="module")
def url(sito_ricerca):
    with serve_site(sito_ricerca) as u:
        yield u


def _dialogo(page, base, parola):
    page.goto(base + "/comuni/")
    page.click(".atlante-ricerca-apri")
    page.fill("#atlante-ricerca-q", parola)
    page.wait_for_function(
        "() => /risultat|Nessun/.test(document.querySelector('.atlante-ricerca-stato').textContent)", timeout=15000
    )
    return page.eval_on_selector_all(".atlante-ricerca-risultato > a", "els => els.map(e => e.pathname)")


def _attendi_cercatore(page):
    page.wait_for_function(
        "() => /\\.$/.test(document.querySelector('.atlante-cercatore-stato').textContent)", timeout=15000
    )


def _schede(page):
    return page.eval_on_selector_all(
        ".atlante-scheda-trovata",
        "els => els.map(e => [e.querySelector('h3 a').pathname, e.innerText])",
    )


def test_citizen_queries_find_the_record_in_the_first_three(browser, url):
    page = browser.new_page()
    errori = []
    for parola, atteso in CORPUS:
        primi = _dialogo(page, url, parola)[:3]
        if not any(p.rstrip("/").endswith("/" + atteso) for p in primi):
            errori.append((parola, atteso, primi))
        if [p for p in primi if p.startswith("/partecipa/")]:
            errori.append((parola, "pagina per chi aggiorna le schede tra i primi tre", primi))
    assert errori == []
    assert page.external_requests == []


def test_no_search_data_before_typing_then_only_local(browser, url):
    page = browser.new_page()
    richieste = []
    page.on("request", lambda r: richieste.append(r.url))
    for pagina in ("/", "/enti/", "/enti/udo/cdi-palazzo-tadini/", "/comuni/crema/"):
        page.goto(url + pagina)
        page.wait_for_load_state("networkidle")
    assert [r for r in richieste if "/pagefind/" in r] == []
    prima = len(richieste)
    _dialogo(page, url, "consultorio")
    ricerca = richieste[prima:]
    assert [r for r in ricerca if "/pagefind/" in r]
    # script, worker, WebAssembly and index: all from this site (map tiles are the pages' own affair)
    assert [r for r in ricerca if not r.startswith(url) and "tile.openstreetmap.org" not in r] == []


def test_search_dialog_is_labelled_and_accessible(browser, url):
    page = browser.new_page()
    _dialogo(page, url, "biblioteca")
    dialogo = page.get_by_role("dialog", name="Cerca nel sito")
    assert dialogo.is_visible()
    violazioni = run_axe(page)
    assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in violazioni] == []
    page.keyboard.press("Escape")
    assert not dialogo.is_visible()
    page.keyboard.press("/")  # the keyboard shortcut opens it again, focus in the box
    assert page.evaluate("document.activeElement.id") == "atlante-ricerca-q"


def test_finder_filters_with_counts_and_shareable_url(browser, url):
    page = browser.new_page()
    page.goto(url + "/enti/?q=anziani")
    _attendi_cercatore(page)
    assert {p for p, _ in _schede(page)} == {
        "/enti/udo/rsa-fondazione-rsa-di-soncino/",
        "/enti/udo/rsa-fondazione-giuseppina-brunenghi/",
        "/enti/udo/cdi-palazzo-tadini/",
    }
    crema = page.locator(".atlante-ricerca-filtro[data-chiave=comune] li", has_text="Crema")
    assert crema.locator(".atlante-conteggio").text_content() == "(1)"  # counts of this result
    assert (
        page.locator(".atlante-ricerca-filtro[data-chiave=comune] li", has_text="Pandino")
        .text_content()
        .endswith("(0)")
    )
    page.click(".atlante-ricerca-filtro[data-chiave=comune] summary")
    crema.locator("input").check()
    page.wait_for_function("() => location.search.includes('comune=Crema')")
    _attendi_cercatore(page)
    (scheda,) = _schede(page)
    assert scheda[0] == "/enti/udo/cdi-palazzo-tadini/" and "Via Tadini" in scheda[1]
    # the URL restores query and filters (a result list can be shared)
    page.goto(page.url)
    _attendi_cercatore(page)
    assert page.input_value("#atlante-cercatore-q") == "anziani"
    assert [p for p, _ in _schede(page)] == ["/enti/udo/cdi-palazzo-tadini/"]
    # a card: name, kind, comune, address, tel: link
    page.goto(url + "/enti/?q=biblioteca&comune=Pandino")
    _attendi_cercatore(page)
    carta = page.locator(".atlante-scheda-trovata").first
    assert carta.locator(".atlante-scheda-tipo").inner_text() == "Biblioteca · Pandino"
    assert carta.locator(".atlante-scheda-telefono a").get_attribute("href") == "tel:+390373973313"
    violazioni = run_axe(page)
    assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in violazioni] == []


def test_finder_near_a_chosen_comune_sorts_by_distance(browser, url):
    page = browser.new_page()
    page.goto(url + "/enti/?tipo=Biblioteca")
    _attendi_cercatore(page)
    page.select_option("#atlante-vicino-comune", "Pandino")
    page.wait_for_function("() => location.search.includes('vicino=Pandino')")
    _attendi_cercatore(page)
    schede = _schede(page)
    assert schede[0][0] == "/enti/biblioteche/biblioteca-comunale-pandino/"
    km = [float(re.search(r"A ([\d,]+) km", t)[1].replace(",", ".")) for _, t in schede]
    assert km == sorted(km) and km[0] < 2 < km[-1]
    rivolta = next(t for p, t in schede if "suore-adoratrici" in p)
    assert "posizione approssimata" in rivolta  # no position in the record: centre of the comune
    assert "posizione approssimata" not in schede[0][1]
    assert "non viene inviata a nessuno" in page.inner_text(".atlante-vicino")


@pytest.mark.parametrize(
    "ora, aperti, da_verificare",
    [
        ("2026-11-30T10:00:00+01:00", ["caritas-centro-di-ascolto"], ["orientafamiglie"]),  # Monday
        ("2026-12-02T10:00:00+01:00", [], ["orientafamiglie"]),  # Wednesday
    ],
)
def test_finder_open_now_at_a_fixed_clock(browser, url, ora, aperti, da_verificare):
    page = browser.new_page(timezone_id="Europe/Rome")
    page.clock.set_fixed_time(ora)
    page.goto(url + "/enti/?aperto=1")
    _attendi_cercatore(page)
    schede = _schede(page)
    trovati = {p.rstrip("/").rsplit("/", 1)[1]: t for p, t in schede}
    assert sorted(trovati) == sorted(aperti + da_verificare)
    for a in aperti:
        assert "Aperto ora" in trovati[a]
    for v in da_verificare:
        assert "Orario da verificare" in trovati[v] and "Aperto ora" not in trovati[v]
