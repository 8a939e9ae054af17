"""'La rete in numeri': indicators checked against figures counted by hand on a small fixture.

The fixture is a temp project with a few made-up records (never shipped) and a git history with
known dates; it is built once for this module. Expected figures are written out below by hand.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from aiuti import ROOT, copy_project
from atlante.lettura.progetto import Progetto
from atlante.motore import genera as gen
from atlante.motore.costruzione import build_site
from atlante.pagine import indicatori as ind
from atlante.pagine.grafici import BARRA, CLASSI, CONFINE, SFONDO, TESTO, contrasto

OGGI = dt.date.today()


def giorni_fa(n: int) -> str:
    return (OGGI - dt.timedelta(days=n)).isoformat()


# id -> (cartella, yaml). verificato_il: 30 days ago unless said otherwise.
SCHEDE = {
    ("ets", "prova-a"): "nome: Associazione di prova A\ncomune: Crema\nrunts: {iscritto: true, sezione: odv}\n",
    ("ets", "prova-b"): f"nome: Associazione di prova B\ncomune: Crema\nrunts: {{iscritto: true, sezione: aps}}\n"
    f"verificato_il: {giorni_fa(400)}\n",
    ("ets", "prova-c"): f"nome: Associazione di prova C\ncomune: Pandino\nrunts: {{iscritto: false}}\n"
    f"attivita: ['=1+1 calcolo', 'doposcuola']\nverificato_il: {giorni_fa(10)}\n",
    ("ets", "prova-sintetica"): "nome: Ente sintetico di prova\ncomune: Soncino\nsintetico: true\n",
    ("biblioteche", "prova-e"): f"nome: Punto prestito di prova E\ncomune: Soncino\ntipo: punto_prestito\n"
    f"verificato_il: {giorni_fa(100)}\n",
    ("biblioteche", "prova-f"): f"nome: Biblioteca di prova F\ncomune: Pandino\ntipo: biblioteca\n"
    f"verificato_il: {giorni_fa(500)}\n",
    ("udo", "prova-g"): "nome: Nido di prova G\ncomune: Crema\ntipologia: asilo_nido\nposti: 20\nstato: attiva\n",
    ("udo", "prova-h"): "nome: Micronido di prova H\ncomune: Crema\ntipologia: micronido\nposti: 10\nstato: attiva\n",
    ("udo", "prova-i"): "nome: RSA di prova I\ncomune: Soncino\ntipologia: rsa\nstato: attiva\n",
    ("udo", "prova-j"): "nome: CSE di prova J\ncomune: Pandino\ntipologia: cse\nposti: 30\nstato: cessata\n",
    ("patti", "prova-k"): "nome: Patto di prova K\ncomuni: [Crema, Pandino]\nstato: in_corso\n",
    ("patti", "prova-l"): "nome: Patto di prova L\ncomuni: [Soncino]\nstato: concluso\n",
}


def scrivi_schede(root: Path) -> None:
    for (cartella, rid), testo in SCHEDE.items():
        if "verificato_il" not in testo:
            testo += f"verificato_il: {giorni_fa(30)}\n"
        (root / "data" / "enti" / cartella / f"{rid}.yml").write_text(testo, encoding="utf-8")


def git(root: Path, *args: str, data: str | None = None) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Prova",
        "GIT_AUTHOR_EMAIL": "prova@example.invalid",
        "GIT_COMMITTER_NAME": "Prova",
        "GIT_COMMITTER_EMAIL": "prova@example.invalid",
    }
    if data:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"{data}T12:00:00+00:00"
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)


@pytest.fixture(scope="module")
def progetto(tmp_path_factory) -> Progetto:
    root = copy_project(tmp_path_factory.mktemp("numeri") / "p", with_records=False)
    scrivi_schede(root)
    # History: 2024 one commit with every record; 2025 two commits touching prova-a, then prova-a and prova-b.
    git(root, "init", "-q")
    git(root, "add", "data")
    git(root, "commit", "-q", "-m", "schede", data="2024-05-01")
    a = root / "data/enti/ets/prova-a.yml"
    a.write_text(a.read_text(encoding="utf-8") + "fonte: prima modifica\n", encoding="utf-8")
    git(root, "commit", "-q", "-am", "modifica a", data="2025-06-01")
    a.write_text(a.read_text(encoding="utf-8").replace("prima", "seconda"), encoding="utf-8")
    b = root / "data/enti/ets/prova-b.yml"
    b.write_text(b.read_text(encoding="utf-8") + "fonte: modifica\n", encoding="utf-8")
    git(root, "commit", "-q", "-am", "modifica a e b", data="2025-09-01")
    return Progetto(root)


@pytest.fixture(scope="module")
def sito_prova(progetto) -> Path:
    return build_site(progetto)


@pytest.fixture(scope="module")
def pagina(sito_prova) -> BeautifulSoup:
    return BeautifulSoup((sito_prova / "numeri" / "index.html").read_text(encoding="utf-8"), "html.parser")


def tabella(pagina: BeautifulSoup, id: str) -> dict[str, list[str]]:
    """Table rows keyed by their row header; the values are the other cells' text."""
    t = pagina.find("table", id=id)
    assert t is not None, id
    return {
        " ".join(tr.th.get_text(" ").split()): [td.get_text(strip=True) for td in tr.find_all("td")]
        for tr in t.select("tbody tr, tfoot tr")
    }


def residenti() -> dict[str, int]:
    with (ROOT / "data/territorio/comuni.csv").open(encoding="utf-8") as fh:
        return {r["nome"]: int(r["residenti"]) for r in csv.DictReader(fh)}


def it(v: float, dec: int = 2) -> str:
    return f"{v:.{dec}f}".replace(".", ",")


def test_records_per_kind(pagina):
    assert tabella(pagina, "tabella-tipi") == {
        "Enti del Terzo Settore": ["3"],
        "Biblioteche": ["2"],
        "Unità di Offerta": ["4"],
        "Patti di Comunità": ["2"],
        "Servizi": ["0"],
        "Totale": ["11"],
    }


def test_soggetti_per_comune_and_sub_ambito_per_thousand_residents(pagina):
    res = residenti()
    righe = tabella(pagina, "tabella-comuni")
    assert len(righe) == 48
    # Crema: A, B, G, H; Pandino: C, F (J is cessata); Soncino: E, I (the synthetic one is not counted).
    for comune, n in {"Crema": 4, "Pandino": 2, "Soncino": 2, "Agnadello": 0}.items():
        assert righe[comune][1] == str(n)
        assert righe[comune][3] == it(n * 1000 / res[comune])
    assert sum(int(v[1]) for v in righe.values()) == 8
    subs = tabella(pagina, "tabella-sub-ambiti")
    assert subs["Crema"][0] == "4" and subs["Pandino"][0] == "2" and subs["Soncino"][0] == "2"
    assert subs["Sergnano"][0] == "0"
    pandino = [
        "Pandino",
        "Agnadello",
        "Dovera",
        "Palazzo Pignano",
        "Rivolta d'Adda",
        "Spino d'Adda",
        "Torlino Vimercati",
    ]
    assert subs["Pandino"][2] == it(2 * 1000 / sum(res[c] for c in pandino))


def test_ets_per_runts_section(pagina):
    righe = tabella(pagina, "tabella-runts")
    assert righe["a) Organizzazioni di volontariato"] == ["1"]
    assert righe["b) Associazioni di promozione sociale"] == ["1"]
    assert righe["Non iscritti al RUNTS"] == ["1"]
    assert righe["Iscrizione non indicata"] == ["0"]
    assert righe["d) Imprese sociali, incluse le cooperative sociali"] == ["0"]  # the whole name, comma included
    assert righe["Totale"] == ["3"]


def test_udo_per_network_and_area_with_places(pagina):
    righe = tabella(pagina, "tabella-udo")
    assert righe["sociale"] == ["prima infanzia", "2", "30", "0"]
    assert righe["sociosanitaria"] == ["anziani", "1", "0", "1"]
    assert righe["Totale"] == ["", "3", "30", "1"]  # the cessata CSE is not counted


def test_libraries_and_pacts(pagina):
    assert tabella(pagina, "tabella-biblioteche") == {"Biblioteca": ["1"], "Punto prestito": ["1"]}
    assert tabella(pagina, "tabella-patti") == {"In corso": ["1"], "Concluso": ["1"]}


def test_updates_per_year_from_git_history(pagina):
    # 2024: one commit with the 12 files; 2025: two commits touching prova-a and prova-b.
    assert tabella(pagina, "tabella-aggiornamenti") == {"2024": ["1", "12"], "2025": ["2", "2"]}


def test_freschezza(pagina):
    # 11 published records; prova-b (400 days) and prova-f (500 days) are older than 12 months.
    voci = [
        li.get_text(strip=True)
        for li in pagina.select(
            "article > ul > li, article .md-content__inner > ul > li, [data-pagefind-body] > ul > li"
        )
    ]
    assert "Schede nell'Atlante: 11 (soggetti, cioè enti, biblioteche e Unità di Offerta attive: 8)" in voci
    assert (
        "Enti censiti dalla mappatura dell'Ambito: 386 («Patto d'Ambito 2023: una Mappatura di Comunità», "
        "luglio 2023 – marzo 2024; fonte: Piano di Zona 2025-2027 dell'Ambito di Crema, cap. 3)" in voci
    )
    soglia = (
        OGGI.replace(year=OGGI.year - 1)
        if (OGGI.month, OGGI.day) != (2, 29)
        else OGGI.replace(year=OGGI.year - 1, day=28)
    )
    assert f"Schede verificate negli ultimi 12 mesi: 9 su 11 (81,8%), cioè dal {soglia:%d/%m/%Y} in poi" in voci


def test_accessible_charts_with_a_table_beside(pagina):
    svgs = pagina.select("article figure svg")
    assert len(svgs) >= 4
    for svg in svgs:
        assert svg["role"] == "img"
        ids = svg["aria-labelledby"].split()
        assert [svg.find(id=i).name for i in ids] == ["title", "desc"]
        assert svg.find("desc").get_text(strip=True)
        nxt = svg.find_parent("figure").find_next_sibling()
        assert nxt.name == "table"
    barre = {r["data-valore"] for r in pagina.select("#grafico-tipi-titolo ~ g rect")}
    assert barre == {"3", "2", "4", "0"}
    assert [r["data-valore"] for r in pagina.select("#grafico-udo-titolo ~ g rect")] == ["2", "1"]


def test_choropleth_colours_comuni_by_value(pagina):
    res = residenti()
    comuni = pagina.select("svg path.comune")
    assert len(comuni) == 48
    per_istat = {p["data-istat"]: p for p in comuni}
    crema = per_istat["019035"]
    assert float(crema["data-valore"]) == pytest.approx(4000 / res["Crema"], abs=0.01)
    assert "Crema" in crema.title.get_text()
    valori = {k: float(p["data-valore"] or 0) for k, p in per_istat.items()}
    massimo = max(valori, key=valori.get)
    assert per_istat[massimo]["fill"] == CLASSI[-1]
    assert sum(1 for p in comuni if p["fill"] == CLASSI[0]) == 45  # the comuni without soggetti
    legenda = [t.get_text() for t in pagina.select("#grafico-comuni-titolo ~ text")][1:]
    top = max(valori.values())
    assert legenda[0] == "nessun soggetto" and legenda[-1].endswith(f"fino a {it(top)}")


def test_colours_with_wcag_aa_contrast():
    assert contrasto(TESTO, SFONDO) >= 4.5
    assert contrasto(BARRA, SFONDO) >= 3
    assert contrasto(CONFINE, SFONDO) >= 3
    assert contrasto(CONFINE, CLASSI[0]) >= 3  # comuni without soggetti stay visible on the background
    # classes get darker step by step (the values themselves are in the table and each comune's title)
    lum = [contrasto(c, SFONDO) for c in CLASSI]
    assert lum == sorted(lum) and len(set(lum)) == len(CLASSI)


def test_verbali_per_organo_and_year(progetto_vuoto):
    """Sedute held (data/organi.yml and the verbali) are the denominator of "% verbali sul sito"."""
    organi = progetto_vuoto.data_dir / "organi.yml"
    organi.write_text(
        """\
- id: assemblea-dei-sindaci
  nome: Assemblea dei Sindaci
  descrizione: Indirizzo politico.
  composizione: I sindaci.
  fonte: prova
  sedute:
    - {data: 2025-03-01, fonte: prova}
    - {data: 2025-09-01, fonte: prova}
    - {data: 2024-05-01, fonte: prova}
- id: collegio-dei-sindaci
  nome: Collegio dei Sindaci
  descrizione: Pareri.
  composizione: I presidenti.
  fonte: prova
""",
        encoding="utf-8",
    )
    d = progetto_vuoto.content_dir / "verbali"
    voci = [
        ("assemblea-dei-sindaci", "2025-03-01", "pubblico"),
        ("assemblea-dei-sindaci", "2025-06-01", "riservato"),
        ("assemblea-dei-sindaci", "2026-01-15", "estratto"),
        ("collegio-dei-sindaci", "2025-02-10", "pubblico"),
        ("collegio-dei-sindaci", "2025-02-11", "bozza"),
    ]
    for i, (organo, data, vis) in enumerate(voci):
        p = d / organo / f"{data}.md"
        p.parent.mkdir(parents=True, exist_ok=True)
        extra = "bozza: true\nvisibilita: pubblico" if vis == "bozza" else f"visibilita: {vis}"
        p.write_text(f"---\norgano: {organo}\ndata: {data}\n{extra}\n---\n\n# Verbale {i}\n", encoding="utf-8")
    (d / "index.md").write_text("# Verbali\n", encoding="utf-8")  # not a verbale: no front matter
    from atlante.lettura.progetto import Progetto

    v = ind.verbali(gen.contesto(Progetto(progetto_vuoto.root)))
    righe = {
        r.chiave: (r.extra["sedute"], r.n, r.extra["quota_sito"], r.extra["pubblico"], r.extra["quota_pubblica"])
        for r in v["righe"]
    }
    assert righe == {
        "assemblea-dei-sindaci/2024": (1, 0, 0.0, 0, None),
        # 2025: two sedute in organi.yml (one with its verbale) and one more known by its verbale only
        "assemblea-dei-sindaci/2025": (3, 2, 66.7, 1, 50.0),
        "assemblea-dei-sindaci/2026": (1, 1, 100.0, 0, 0.0),
        "collegio-dei-sindaci/2025": (1, 1, 100.0, 1, 100.0),  # the draft is neither a verbale nor counted
    }
    assert (v["sedute"], v["totale"], v["quota_sito"], v["pubblici"], v["quota_pubblica"]) == (6, 4, 66.7, 2, 50.0)
    assert v["righe"][0].etichetta == "Assemblea dei Sindaci"


def test_without_verbali_and_without_git(progetto_vuoto, scrivi):
    scrivi(
        "ets",
        "prova.yml",
        """
        nome: Associazione di prova
        comune: Crema
        verificato_il: 2025-04-01
        """,
    )
    ctx = gen.contesto(progetto_vuoto)
    assert ind.verbali(ctx)["totale"] == 0 and ind.verbali(ctx)["quota_pubblica"] is None
    # the sedute the sources name are held even with no verbale published: the share is 0%, not unknown
    assert ind.verbali(ctx)["sedute"] > 0 and ind.verbali(ctx)["quota_sito"] == 0.0
    agg = ind.aggiornamenti(ctx)
    assert agg["fonte"] == "verificato_il"
    assert [(r.etichetta, r.n) for r in agg["righe"]] == [("2025", 1)]
    gen.genera(ctx)
    testo = ctx.generate["numeri.md"].contenuto
    assert "La storia delle modifiche non è disponibile" in testo
