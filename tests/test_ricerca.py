"""The search's building blocks without a browser: the lexicon files and their checks, the weekly
schedule for "aperto ora", the index-side elision rule, acronyms explained, the finder page."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from bs4 import BeautifulSoup

from atlante.base.orari import settimana_compatta
from atlante.cli.principale import main
from atlante.lettura.progetto import Progetto
from atlante.motore.ricerca import parole_dopo_elisione, prepara_per_indice
from atlante.pagine.glossario import sigle, spiega_sigle

MERCOLEDI = dt.date(2026, 12, 2)


def test_shipped_lexicon_is_read_and_maps_citizens_words(progetto_vuoto):
    lessico = Progetto(progetto_vuoto.root).lessico
    parole = lessico.parole_per_termine()
    assert "casa di riposo" in parole["tipologia:rsa"]
    assert {"CDI", "centro diurno"} <= set(parole["tipologia:cdi"])
    assert "centro diurno" in parole["tipologia:cdd"] and "centro diurno" in parole["tipologia:cse"]
    for parola in ("badante", "assistenza domiciliare", "SAD"):
        assert parola in parole["tipologia:c_dom"]
    for parola in ("doposcuola", "consultorio", "dormitorio", "mensa"):
        assert any(parola in v for v in parole.values()), parola
    glossario = sigle(lessico.glossario)
    for sigla in ("ETS", "UdO", "RUNTS", "RSA", "CDI", "CDD", "CSE", "SFA", "CSS", "RSD", "PUA", "SAD", "ADI"):
        assert glossario[sigla], sigla
    termini = {v["termine"] for v in lessico.glossario}
    assert {"Sub-ambito", "Patto di Comunità", "Piano di Zona", "Ufficio di Piano"} <= termini


def test_lexicon_files_are_validated_with_every_problem_and_its_line(progetto_vuoto, capsys):
    data = progetto_vuoto.data_dir
    (data / "sinonimi.yml").write_text(
        "sinonimi:\n"
        "  - parole: [casa di riposo]\n"
        "    termini: [tipologia:rsa, tipologia:casa_di_riposo]\n"
        "  - parole: []\n"
        "    termini: [colore:blu]\n"
        "    nota: x\n",
        encoding="utf-8",
    )
    (data / "glossario.yml").write_text(
        "termini:\n  - termine: RSA\n    nome: Residenza\n    spiegazione: Una residenza.\n  - termine: rsa\n",
        encoding="utf-8",
    )
    rc = main(["--root", str(progetto_vuoto.root), "validate"])
    out = capsys.readouterr().out
    assert rc == 1
    for riga in (
        "data/sinonimi.yml:3:30: sinonimi[1].termini[2]: 'casa_di_riposo' non è una tipologia di Unità di Offerta",
        "data/sinonimi.yml:4:13: sinonimi[2].parole: 'parole' deve essere un elenco di testi non vuoti",
        "data/sinonimi.yml:5:15: sinonimi[2].termini[1]: termine 'colore:blu' non riconosciuto",
        "data/sinonimi.yml:6:11: sinonimi[2].nota: campo sconosciuto 'nota'",
        "data/glossario.yml:5:14: termini[2].termine: termine ripetuto: 'rsa' compare già alla voce 1",
        "data/glossario.yml:5:5: termini[2].spiegazione: manca 'spiegazione'",
    ):
        assert riga in out, (riga, out)


def test_weekly_schedule_for_open_now():
    assert settimana_compatta("Mo,Tu,Fr 09:00-12:00", MERCOLEDI) == "0:540-720|1:540-720|4:540-720"
    assert settimana_compatta("Sa 22:00-02:00", MERCOLEDI) == "5:1320-1440|6:0-120"  # past midnight
    # rules a weekly table cannot hold: "orario da verificare", never "closed"
    for incerto in ('Mo 09:00-12:00 "su appuntamento"', "Mo-Fr 09:00-12:00; PH off", "Mo-Fr 09:00-12:00; Aug off"):
        assert settimana_compatta(incerto, MERCOLEDI).startswith("?0:540-720"), incerto
    assert settimana_compatta(None, MERCOLEDI) is None and settimana_compatta("non valido", MERCOLEDI) is None


def test_index_side_elisions_and_cells():
    assert parole_dopo_elisione("Cura dell'anziano e l’utente, po' di") == ["anziano", "utente"]
    pagina = (
        "<main><div data-pagefind-body><dl><dt>Comune</dt><dd>Crema</dd></dl>"
        "<p>Aiuto all&#x27;anziano</p><!--atlante-ricerca-fine--></div></main>"
    )
    s = BeautifulSoup(prepara_per_indice(pagina), "html.parser")
    assert s.select_one("[data-pagefind-index-attrs]")["data-parole"] == "anziano"
    assert s.dl.get_text() == "Comune\nCrema"
    assert prepara_per_indice("<p>dell'anziano</p>") == "<p>dell'anziano</p>"  # not indexed: untouched
    # what the index leaves out (ESCLUSI) gives no words: the note under the buttons on every record
    # page would make "email" find them all; a nested element of the same name ends it early only
    escluse = (
        "<div data-pagefind-body><p class=\"atlante-azioni-nota\">L'email, l'indirizzo</p>"
        "<p>Cura dell'anziano</p><h2 id=\"correggi\">dell'errore</h2>"
        "<div class=\"atlante-mappa x\"><div>dell'area</div>sull'altro</div><!--atlante-ricerca-fine--></div>"
    )
    s = BeautifulSoup(prepara_per_indice(escluse), "html.parser")
    assert s.select_one("[data-pagefind-index-attrs]")["data-parole"] == "anziano altro"


def test_elisions_found_from_apostrophes_are_the_rule_s_matches():
    """parole_dopo_elisione finds ELISIONE's matches another way: the same words, on random text."""
    import random

    from atlante.motore.ricerca import ELISIONE

    caso = random.Random(18)
    alfabeto = list("ab'’ '’-èK_1.") + ["l'", "dell'", "po'", " "]
    for _ in range(20000):
        testo = "".join(caso.choice(alfabeto) for _ in range(caso.randint(0, 16)))
        regola = list(dict.fromkeys(m.group(1).lower() for m in ELISIONE.finditer(testo)))
        assert parole_dopo_elisione(testo) == regola, repr(testo)


def test_acronyms_explained_in_text_only():
    mappa = {"RSA": 'Residenza "sanitaria"', "C-DOM": "Cure domiciliari"}
    pagina = (
        '<head><title>RSA</title></head><article class="md-content__inner"><h1>RSA di Soncino</h1>'
        '<p data-x="RSA">Una RSA, non RSAB né C-DOMICILIO; C-DOM sì.</p><script>var RSA = 1;</script>'
        '<select><option>RSA</option></select><abbr title="già">RSA</abbr><svg><text>RSA</text></svg>'
        "</article><footer>RSA</footer>"
    )
    s = BeautifulSoup(spiega_sigle(pagina, mappa), "html.parser")
    assert [a.get_text() for a in s.select("article abbr")] == ["RSA", "RSA", "C-DOM", "RSA"]
    assert s.h1.abbr["title"] == 'Residenza "sanitaria"'
    assert s.p["data-x"] == "RSA" and s.script.get_text() == "var RSA = 1;"
    assert s.option.abbr is None and s.title.get_text() == "RSA" and s.footer.abbr is None and s.svg.abbr is None


def _sigle_con_una_regex(pagina: str, mappa: dict[str, str]) -> str:
    """The acronym rule as one regex scan (how spiega_sigle was first written): the oracle."""
    import html
    import re

    from atlante.pagine.glossario import _SALTA

    inizio = pagina.find('<article class="md-content__inner')
    fine = pagina.find("</article>", inizio)
    corpo = pagina[inizio:fine]
    alternative = "|".join(re.escape(k) for k in sorted(mappa, key=len, reverse=True))
    rx = re.compile(rf"{_SALTA}|(?<![\w-])(?P<sigla>{alternative})(?![\w-])")
    out, pos, dopo_salto = [], 0, 0
    for m in rx.finditer(corpo):
        sigla = m.group("sigla")
        if sigla is None:
            dopo_salto = m.end()
            continue
        if corpo.rfind("<", dopo_salto, m.start()) > corpo.rfind(">", dopo_salto, m.start()):
            continue
        out += [corpo[pos : m.start()], f'<abbr title="{html.escape(mappa[sigla], quote=True)}">{sigla}</abbr>']
        pos = m.end()
    if not out:
        return pagina
    return pagina[:inizio] + "".join(out) + corpo[pos:] + pagina[fine:]


def test_acronyms_found_by_substring_search_match_the_regex_scan():
    """spiega_sigle finds the acronyms without the regex scan: the same page, for the shipped
    glossary and for overlapping acronyms, on random fragments of HTML."""
    import random

    from aiuti import ROOT

    glossario = sigle(Progetto(ROOT).lessico.glossario)
    sovrapposte = {"RSA": "a", "RSAB": "b", "SA": "c", "C-DOM": "d", "DOM": "e", "A-B": "f", "B": "g"}
    pezzi = ["RSA", "RSAB", "SA", "C-DOM", "DOM", "A-B", "B", "CDD", "ETS", "UdO", " ", "-", "_", "x", "é", "1"]
    pezzi += [
        "<p>",
        "</p>",
        '<a title="',
        '">',
        "<script>",
        "</script>",
        "<svg>",
        "</svg>",
        "<abbr>",
        "</abbr>",
        ">",
        "<",
    ]
    caso = random.Random(18)
    spiegate = 0
    for mappa in (glossario, sovrapposte):
        for _ in range(5000):
            testo = "".join(caso.choice(pezzi) for _ in range(caso.randint(0, 24)))
            pagina = f'<title>RSA</title><article class="md-content__inner">{testo}</article>RSA'
            attesa = _sigle_con_una_regex(pagina, mappa)
            assert spiega_sigle(pagina, mappa) == attesa, repr(testo)
            spiegate += attesa != pagina
    assert spiegate > 3000  # most fragments had acronyms to explain


def test_acronyms_present_found_in_one_scan_are_those_a_substring_search_finds():
    """_presenti finds with one pattern the acronyms a substring search finds one by one, also
    when every occurrence of one overlaps another (held in it, or sharing its start or end)."""
    import random

    from atlante.pagine.glossario import _presenti, _ricerca_delle_sigle

    caso = random.Random(18)
    for gruppo in (["AB", "BC", "ABC", "B", "C A", "A B", "Piano di Zona", "di", "Zona", "no di"], ["RSA", "SA"]):
        ordine = sorted(gruppo, key=len, reverse=True)
        tutte, sovrapposte = _ricerca_delle_sigle(ordine)
        pezzi = [*gruppo, "A", "B", "C", " ", "x", "Pi", "ano"]
        for _ in range(20000):
            testo = "".join(caso.choice(pezzi) for _ in range(caso.randint(0, 12)))
            assert _presenti(testo, ordine, tutte, sovrapposte) == [k for k in ordine if k in testo], repr(testo)
    assert _presenti("RSA", [], *_ricerca_delle_sigle([])) == []


def test_finder_page_works_without_javascript(sito):
    s = BeautifulSoup((sito / "enti" / "index.html").read_text(encoding="utf-8"), "html.parser")
    cercatore = s.select_one("#atlante-cercatore")
    assert cercatore.select_one(".atlante-ricerca-solo-js").has_attr("hidden")  # shown by the script
    elenchi = [a.get_text() for a in cercatore.select("table a")]
    assert elenchi[:2] == ["Enti del Terzo Settore", "Biblioteche"] and "Per comune" in elenchi
    gruppi = [d["data-chiave"] for d in cercatore.select(".atlante-ricerca-filtro")]
    assert gruppi[:3] == ["tipo", "tipologia", "comune"]
    assert cercatore.select_one("#atlante-vicino-comune option[value=Soncino]")["data-lat"]
    assert s.select_one(".atlante-ricerca-dialogo")["aria-labelledby"] == "atlante-ricerca-titolo"
    glossario = BeautifulSoup((sito / "glossario" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert "RUNTS (Registro Unico Nazionale del Terzo Settore)" in glossario.select_one("dl").get_text()


def test_index_from_search_twins_is_the_index_of_the_whole_pages(sito, tmp_path, monkeypatch):
    """Pagefind reads each page's search twin (its content area alone); the bundle must be the one
    it makes from the whole pages, prepared in place as the build once did: the same fragment per
    page (URL, text, filters, metadata) and the same word index, file for file (names are hashes
    of the contents). The whole pages go through the same run (same folder, same order: Pagefind
    numbers pages in the order the file system lists them). Filter files are left out: Pagefind
    orders their values differently from run to run, on the same input."""
    import shutil

    from atlante.motore import ricerca

    intere = tmp_path / "intere"
    shutil.copytree(sito, intere, ignore=shutil.ignore_patterns(ricerca.CARTELLA))
    monkeypatch.setattr(ricerca, "gemello", prepara_per_indice)  # every page, whole
    ricerca.indicizza(intere)

    def bundle(site):
        return {
            str(f.relative_to(site / ricerca.CARTELLA)): f.read_bytes()
            for cartella in ("fragment", "index")
            for f in (site / ricerca.CARTELLA / cartella).iterdir()
        }

    dalle_intere, dai_gemelli = bundle(intere), bundle(sito)
    assert len([k for k in dai_gemelli if k.startswith("fragment")]) > 200
    assert dai_gemelli.keys() == dalle_intere.keys()
    assert dai_gemelli == dalle_intere
    for cartella in ("/dev/shm", tempfile.gettempdir()):  # the twins are gone
        assert not list(Path(cartella).glob("atlante-gemelli-*"))


def test_record_boilerplate_is_not_indexed(sito):
    """The sentences every record page repeats (how to report an error, hours or contacts
    missing, the small map's caption) are on the page but not in the index: a search for
    "email" or "orari" must not find every record."""
    from aiuti import frammenti_pagefind

    frasi = [
        "richiedono un account GitHub",
        "Orari non disponibili",
        "Segnala un errore o aggiorna",
        "Apri sulla mappa",
    ]
    schede = {u: f for u, f in frammenti_pagefind(sito).items() if u.count("/") == 4 and u.startswith("/enti/")}
    assert len(schede) > 200
    pagine = [(sito / u.strip("/") / "index.html").read_text(encoding="utf-8") for u in list(schede)[:50]]
    for frase in frasi:
        assert any(frase in p for p in pagine), frase  # on the pages...
        assert not [u for u, f in schede.items() if frase in f["content"]], frase  # ...not in the index


def _senza_esclusi_con_una_regex(corpo: str) -> str:
    """The rule of ricerca._senza_esclusi as one regex scan over the page (the oracle)."""
    import re

    from atlante.motore.ricerca import ESCLUSI

    classi = [re.escape(x.strip()[1:]) for x in ESCLUSI.split(",") if x.strip().startswith(".")]
    ids = [re.escape(x.strip()[1:]) for x in ESCLUSI.split(",") if x.strip().startswith("#")]
    classe = r'class="(?:[^"]*\s)?(?:' + "|".join(classi) + r')(?:\s[^"]*)?"'
    attributo = re.compile(r"\s(?:" + classe + '|id="(?:' + "|".join(ids) + ')")')
    out, pos = [], 0
    for m in attributo.finditer(corpo):
        if m.start() < pos:
            continue
        apre = corpo.rfind("<", pos, m.start())
        nome = re.compile(r"\w+").match(corpo, apre + 1) if apre >= 0 else None
        if nome is None or ">" in corpo[apre : m.start()]:
            continue
        chiude = corpo.find(f"</{nome.group()}>", m.end())
        if chiude < 0:
            continue
        out += [corpo[pos:apre], " "]
        pos = chiude + len(nome.group()) + 3
    return "".join(out) + corpo[pos:] if out else corpo


def test_left_out_elements_found_by_name_match_the_regex_scan(sito):
    """_senza_esclusi finds the elements of ESCLUSI by their names: the same text as the regex scan,
    on every built page and on random fragments (nested, unclosed, names inside other names and in text)."""
    import random

    from atlante.motore.ricerca import _senza_esclusi

    pagine = [f.read_text(encoding="utf-8") for f in sito.rglob("*.html")]
    assert len(pagine) > 300
    for p in pagine:
        assert _senza_esclusi(p) == _senza_esclusi_con_una_regex(p)
    pezzi = ['<p class="atlante-azioni-nota">', '<div class="x atlante-fonte y">', '<h2 id="correggi">']
    pezzi += ['<p class="atlante-azioni">', '<div class="atlante-azioni-notax">', '<p id="verifica" class="a">']
    pezzi += ['<p class="atlante-azioni-nota atlante-fonte">', '<span id="correggi ">', '<i class="">']
    pezzi += ["atlante-azioni", "atlante-azioni-nota", "correggi", "atlante-fonte", "verifica", " "]
    pezzi += ["</p>", "</div>", "</h2>", "testo", "<", ">", "\n"]  # text has no '"' (escaped in pages)
    pezzi += ["</p>", "</div>", "</h2>", "testo"]
    caso = random.Random(18)
    tolti = 0
    for _ in range(20000):
        corpo = "".join(caso.choice(pezzi) for _ in range(caso.randint(0, 14)))
        atteso = _senza_esclusi_con_una_regex(corpo)
        assert _senza_esclusi(corpo) == atteso, repr(corpo)
        tolti += atteso != corpo
    assert tolti > 1000
