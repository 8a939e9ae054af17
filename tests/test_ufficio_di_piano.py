"""The Ufficio di Piano publishes by itself: `atlante new notizia|verbale` with options, then
`atlante validate`, then one build; the items are on their pages and in their feeds, drafts are
skipped (and the build says which), allegati show type and size, organo pages list their sedute
by year, and "La rete in numeri" counts verbali over the sedute held."""

from __future__ import annotations

import contextlib
import io
import json
import logging

import feedparser
import pytest
from bs4 import BeautifulSoup

from aiuti import copy_project, frammenti_pagefind
from atlante.cli.principale import main

NOTIZIA = "Avviso di prova per i centri estivi"
RISERVATO = """\
---
organo: comitato-ristretto
data: 2025-05-06
ora_inizio: "10:00"
seduta: "3/25"
modalita: telematica
presenti:
  - {nome: Anna Bianchi, ruolo: Sindaca}
ordine_del_giorno:
  - Riparto del Fondo
allegati:
  - {titolo: Relazione riservata sul riparto}
visibilita: riservato
---
"""
BOZZA_VERBALE = """\
---
organo: assemblea-dei-sindaci
data: 2025-04-01
seduta: "9/25"
bozza: true
---

Testo ancora da controllare.
"""
BOZZA_NOTIZIA = """\
---
data: 2025-04-02
titolo: Notizia non ancora pronta
categoria: avvisi
sommario: Da rileggere.
bozza: true
---

Testo.
"""


class _Log(logging.Handler):
    def __init__(self):
        super().__init__(logging.INFO)
        self.righe: list[str] = []

    def emit(self, record):
        self.righe.append(record.getMessage())


@pytest.fixture(scope="module")
def udp(tmp_path_factory):
    root = copy_project(tmp_path_factory.mktemp("udp"), with_records=False)
    r = ["--root", str(root)]
    assert (
        main(
            [*r, "new", "notizia", "--titolo", NOTIZIA, "--categoria", "avvisi", "--data", "2026-11-30"]
            + ["--sommario", "Le domande entro la fine del mese.", "--testo", "Il testo dell'avviso."]
        )
        == 0
    )
    assert (
        main(
            [*r, "new", "verbale", "--organo", "assemblea-dei-sindaci", "--data", "2025-03-12", "--seduta", "2/25"]
            + ["--ora-inizio", "17:30", "--ora-fine", "19:00", "--modalita", "presenza", "--luogo", "Sala Ostaggi"]
            + ["--visibilita", "pubblico", "--presente", "Anna Bianchi, Sindaca", "--presente", "Carlo Verdi, Sindaco"]
            + ["--assente", "Ugo Blu, Sindaco", "--punto", "Approvazione del Piano Operativo", "--testo", "Verbale."]
        )
        == 0
    )
    verbali = root / "content" / "verbali"
    nuovo = verbali / "2025-03-12-assemblea-dei-sindaci.md"
    testo = nuovo.read_text(encoding="utf-8")
    nuovo.write_text(
        testo.replace(
            "\nvisibilita: pubblico",
            "\nallegati:\n- titolo: Slide della seduta\n  file: allegati/slide.pdf\nvisibilita: pubblico",
        ),
        encoding="utf-8",
    )
    (verbali / "allegati").mkdir()
    (verbali / "allegati" / "slide.pdf").write_bytes(b"%PDF-1.4\n" + b"0" * 2400)
    (verbali / "2025-05-06-comitato-ristretto.md").write_text(RISERVATO, encoding="utf-8")
    (verbali / "2025-04-01-bozza.md").write_text(BOZZA_VERBALE, encoding="utf-8")
    (root / "content" / "news" / "2025-04-02-bozza.md").write_text(BOZZA_NOTIZIA, encoding="utf-8")
    assert main([*r, "validate"]) == 0
    log, mkdocs = _Log(), logging.getLogger("mkdocs")
    livello = mkdocs.level
    mkdocs.addHandler(log)
    mkdocs.setLevel(logging.INFO)
    uscita = io.StringIO()
    try:
        with contextlib.redirect_stdout(uscita):
            assert main([*r, "build"]) == 0
    finally:
        mkdocs.removeHandler(log)
        mkdocs.setLevel(livello)
    return root / "site", log.righe + uscita.getvalue().splitlines()


def html(sito, rel: str) -> BeautifulSoup:
    return BeautifulSoup((sito / rel).read_text(encoding="utf-8"), "html.parser")


def test_new_notizia_is_on_the_news_page_and_feed(udp):
    sito, _ = udp
    pagina = html(sito, "news/index.html")
    link = pagina.find("a", string=NOTIZIA)
    assert link is not None and link["href"].rstrip("/").endswith("2026-11-30-avviso-di-prova-per-i-centri-estivi")
    feed = feedparser.parse((sito / "feed/news.rss.xml").read_bytes())
    assert [e.title for e in feed.entries] == [NOTIZIA]


def test_new_verbale_is_on_its_organo_page_and_feed(udp):
    sito, _ = udp
    organo = html(sito, "verbali/organi/assemblea-dei-sindaci/index.html")
    voci = [a.get_text() for a in organo.select("article a")]
    assert "Seduta 2/25 del 12 marzo 2025" in voci
    feed = feedparser.parse((sito / "feed/verbali-assemblea-dei-sindaci.atom.xml").read_bytes())
    assert [e.title for e in feed.entries] == ["Assemblea dei Sindaci: seduta 2/25 del 12 marzo 2025"]
    pagina = html(sito, "verbali/2025-03-12-assemblea-dei-sindaci/index.html")
    testo = pagina.select_one(".atlante-verbale").get_text(" ", strip=True)
    assert "Anna Bianchi: Sindaca" in testo and "Ugo Blu: Sindaco" in testo and "dalle 17:30 alle 19:00" in testo


def test_drafts_are_not_published_and_the_build_says_which(udp):
    sito, log = udp
    assert not (sito / "verbali/2025-04-01-bozza").exists() and not (sito / "news/2025-04-02-bozza").exists()
    bozze = ["content/news/2025-04-02-bozza.md", "content/verbali/2025-04-01-bozza.md"]
    # the MkDocs log (as `mkdocs build` shows it) and the `atlante build` summary both name them
    assert sorted(r.split("bozza non pubblicata: ")[1] for r in log if "bozza non pubblicata: " in r) == bozze
    assert sorted(r.split("Bozza non pubblicata: ")[1] for r in log if r.startswith("Bozza non pubblicata: ")) == bozze
    tutti = " ".join(p.read_text(encoding="utf-8") for p in (sito / "feed").glob("*.xml"))
    assert "Notizia non ancora pronta" not in tutti and "9/25" not in tutti
    indicizzate = frammenti_pagefind(sito)
    assert indicizzate and not [u for u, f in indicizzate.items() if "Notizia non ancora pronta" in json.dumps(f)]


def test_allegati_show_type_and_size_and_reserved_ones_only_their_title(udp):
    sito, _ = udp
    pagina = html(sito, "verbali/2025-03-12-assemblea-dei-sindaci/index.html")
    link = pagina.find("a", string="Slide della seduta")
    assert link is not None and (link.parent.get_text(" ", strip=True)).endswith("(PDF, 2,4 kB)")
    assert (sito / "verbali/allegati/slide.pdf").is_file()
    riservato = html(sito, "verbali/2025-05-06-comitato-ristretto/index.html")
    voce = next(li for li in riservato.select(".atlante-verbale li") if "Relazione riservata" in li.get_text())
    assert voce.get_text(" ", strip=True) == "Relazione riservata sul riparto (allegato riservato)"
    assert voce.find("a") is None


def test_organo_pages_list_sedute_by_year_and_say_when_no_verbale_is_published(udp):
    sito, _ = udp
    assemblea = html(sito, "verbali/organi/assemblea-dei-sindaci/index.html")
    anni = [h.get_text(strip=True) for h in assemblea.select("article h3")]
    assert anni[:2] == ["2025", "2015"]
    testo = assemblea.select_one("article").get_text(" ", strip=True)
    assert "Seduta del 30 aprile 2015" in testo and "verbale non pubblicato" in testo and "002:173-174" in testo
    assert "Composizioni precedenti" in testo and "dal 1 maggio 2015 al 30 aprile 2018" in testo
    cabina = html(sito, "verbali/organi/cabina-di-regia/index.html").select_one("article").get_text(" ", strip=True)
    assert "Nessun verbale di questo organo è ancora pubblicato" in cabina
    assert "atto proprio dell'ASL" in cabina and "Direttore Sociale dell'ASL" in cabina


def test_numbers_page_counts_verbali_over_sedute_held(udp):
    sito, _ = udp
    tabella = html(sito, "numeri/index.html").select_one("#tabella-verbali")
    righe = {
        (tr.th.get_text(strip=True), tr.select("td")[0].get_text(strip=True)): [
            td.get_text(strip=True) for td in tr.select("td")[1:]
        ]
        for tr in tabella.select("tbody tr")
    }
    # 2015: one seduta named by the sources, no verbale on the site
    assert righe[("Assemblea dei Sindaci", "2015")][:3] == ["1", "0", "0,0%"]
    assert righe[("Assemblea dei Sindaci", "2025")][:3] == ["1", "1", "100,0%"]
    assert righe[("Comitato Ristretto dell'Assemblea dei Sindaci", "2025")][-1] == "0 / 0 / 1"  # riservato


def test_field_guides_for_verbale_and_notizia(udp):
    sito, _ = udp
    verbale = html(sito, "partecipa/campi-verbale/index.html").get_text(" ", strip=True)
    assert "ordine_del_giorno.votazione.favorevoli" in verbale and "assemblea-dei-sindaci" in verbale
    notizia = html(sito, "partecipa/campi-notizia/index.html").get_text(" ", strip=True)
    assert "Avvisi e bandi" in notizia and "sommario" in notizia


def test_new_verbale_refuses_bad_values_and_never_overwrites(progetto_vuoto, capsys):
    r = ["--root", str(progetto_vuoto.root), "new", "verbale"]
    base = ["--organo", "assemblea-dei-sindaci", "--data", "2025-03-12"]
    assert main([*r, *base, "--modalita", "online"]) == 1
    assert "valore non ammesso per modalita: 'online'" in capsys.readouterr().err
    assert main([*r, "--organo", "assemblea", "--data", "2025-03-12"]) == 1
    assert "valore non ammesso per organo: 'assemblea'" in capsys.readouterr().err
    assert main([*r, *base, "--ora-inizio", "25:00"]) == 1
    assert not (progetto_vuoto.content_dir / "verbali").exists() or not any(
        (progetto_vuoto.content_dir / "verbali").iterdir()
    )
    assert main([*r, *base]) == 0
    out = capsys.readouterr().out
    # what is left to fill is listed at once, each with its line and field
    assert "campo obbligatorio mancante: 'presenti'" in out and "campo obbligatorio mancante: 'seduta'" in out
    path = progetto_vuoto.content_dir / "verbali" / "2025-03-12-assemblea-dei-sindaci.md"
    prima = path.read_bytes()
    assert main([*r, *base]) == 1
    assert "non lo sovrascrivo" in capsys.readouterr().err and path.read_bytes() == prima


def test_new_notizia_without_a_title_is_refused(progetto_vuoto, capsys):
    assert main(["--root", str(progetto_vuoto.root), "new", "notizia", "--categoria", "avvisi"]) == 2
    assert "serve il titolo" in capsys.readouterr().err


def test_new_verbale_asks_on_a_terminal(progetto_vuoto):
    from atlante.strumenti.nuova_pagina import crea

    risposte = iter(["1", "2025-13-01", "2025-03-12", "9", "17:30", "2/25", "2", "3"])
    domande: list[str] = []
    detto: list[str] = []

    def leggi(domanda):
        domande.append(domanda)
        return next(risposte)

    path = crea(progetto_vuoto, "verbale", {}, interattivo=True, leggi=leggi, scrivi=detto.append)
    assert path.name == "2025-03-12-assemblea-dei-sindaci.md"  # organo 1 of data/organi.yml, from date and organo
    assert any("data non valida" in d for d in detto) and any("ora non valida" in d for d in detto)
    assert any("Assemblea dei Sindaci (assemblea-dei-sindaci)" in d for d in detto)
    from atlante.lettura.frontmatter import leggi as leggi_pagina

    d = leggi_pagina(path, "v", "v").data
    assert (d["ora_inizio"], d["seduta"], d["modalita"], d["visibilita"]) == (
        "17:30",
        "2/25",
        "telematica",
        "riservato",
    )
