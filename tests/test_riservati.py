"""Reserved verbali: the text reaches the site only encrypted; members decrypt it in the browser."""

from __future__ import annotations

import gzip
import json
import re

import pytest
from bs4 import BeautifulSoup

from aiuti import copy_project, frammenti_pagefind
from atlante.lettura.progetto import Progetto
from atlante.motore.costruzione import BuildFallita, build_site
from atlante.pagine.riservati import PasswordDebole, cifra, debolezza, decifra

PASSWORD = "Cavallo-batteria-graffetta-7"
MARKER = "ZQX-MARCATORE-RISERVATO-4417"
TESTO = f"""\
# Verbale integrale

La seduta discute il caso riservato {MARKER} con i dati personali di una famiglia seguita dai servizi.

Il Comitato prende atto della relazione dell'assistente sociale sulla situazione abitativa del nucleo.

| voce | importo |
|---|---|
| contributo straordinario | 1.250 euro |
"""
FM = """\
---
organo: {organo}
data: {data}
ora_inizio: "10:00"
ora_fine: "11:30"
seduta: "{seduta}"
modalita: mista
luogo: Sala riunioni dell'Ufficio di Piano, Crema
presenti:
  - {{nome: Componente Uno, ruolo: Referente sub-ambito}}
  - {{nome: Componente Due, ruolo: Referente sub-ambito}}
ordine_del_giorno:
  - oggetto: Contributi straordinari a nuclei in difficoltà abitativa
visibilita: riservato
---
"""
CON_TESTO = "2025-03-04-comitato-ristretto"
SENZA_TESTO = "2025-02-11-ufficio-di-piano"
PUBBLICO = "2025-01-20-tavoli-tematici"


def _progetto(tmp) -> Progetto:
    root = copy_project(tmp / "p")
    d = root / "content" / "verbali"
    d.mkdir(parents=True, exist_ok=True)
    (d / f"{CON_TESTO}.md").write_text(
        FM.format(organo="comitato-ristretto", data="2025-03-04", seduta="2/25"), encoding="utf-8"
    )
    (d / f"{SENZA_TESTO}.md").write_text(
        FM.format(organo="ufficio-di-piano", data="2025-02-11", seduta="1/25"), encoding="utf-8"
    )
    pubblico = (
        FM.format(organo="tavoli-tematici", data="2025-01-20", seduta="1/25")
        .replace(
            "visibilita: riservato",
            "visibilita: pubblico\nallegati:\n  - {titolo: Presentazione, file: allegati/slide.pdf}",
        )
        .replace("Componente Uno", "'Ada \"La Rocca\" & C. 3 < 5'")
    )
    (d / f"{PUBBLICO}.md").write_text(pubblico + "\nTesto pubblico della seduta.\n", encoding="utf-8")
    (d / "allegati").mkdir()
    (d / "allegati" / "slide.pdf").write_bytes(b"%PDF-1.4\n")
    riservati = tmp / "riservati"  # outside the project, as in real use
    riservati.mkdir()
    (riservati / f"{CON_TESTO}.md").write_text(TESTO, encoding="utf-8")
    return Progetto(root)


@pytest.fixture(scope="module")
def sito_riservato(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("riservati")
    progetto = _progetto(tmp)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ATLANTE_RISERVATI_DIR", str(tmp / "riservati"))
        mp.setenv("ATLANTE_RISERVATI_PASSWORD", PASSWORD)
        return build_site(progetto)


def _frasi(testo: str) -> list[str]:
    """Every sentence and table cell of the reserved text worth searching for."""
    parti = re.split(r"[.\n|]", testo)
    return [p.strip(" #") for p in parti if len(p.strip(" #")) >= 12]


def test_no_leak_anywhere_in_the_built_site(sito_riservato):
    frasi = _frasi(TESTO)
    assert len(frasi) >= 4
    n = 0
    for f in sito_riservato.rglob("*"):
        if not f.is_file():
            continue
        data = f.read_bytes()
        if f.suffix == ".gz" or data[:2] == b"\x1f\x8b":  # sitemap.xml.gz, the search index
            data = gzip.decompress(data)
        text = data.decode("utf-8", errors="replace")
        assert MARKER not in text, f
        for frase in frasi:
            assert frase not in text, (f, frase)
        n += 1
    assert n > 20  # HTML, search index, sitemap, feeds, scripts were all searched
    assert list((sito_riservato / "pagefind" / "fragment").glob("*.pf_fragment"))


def test_reserved_page_shows_metadata_and_ciphertext_only(sito_riservato):
    page = BeautifulSoup(
        (sito_riservato / "verbali" / CON_TESTO / "index.html").read_text(encoding="utf-8"), "html.parser"
    )
    assert "Contributi straordinari a nuclei" in page.select_one("ol.atlante-verbale__odg").get_text()
    form = page.select_one("form.atlante-riservato__form")
    busta = json.loads(form["data-busta"])
    assert busta["kdf"] == "PBKDF2-SHA256" and busta["iter"] >= 600_000 and busta["ad"] == CON_TESTO
    assert MARKER in decifra(busta, PASSWORD)
    assert page.select_one('script[src$="atlante-riservati.js"]') is not None
    assert not [u for u in frammenti_pagefind(sito_riservato) if u.startswith(f"/verbali/{CON_TESTO}")]


def test_public_verbale_links_its_allegati_and_escapes_values(sito_riservato):
    raw = (sito_riservato / "verbali" / PUBBLICO / "index.html").read_text(encoding="utf-8")
    assert "3 < 5" not in raw  # escaped (HTML in names is refused by the validator: tests/test_sicurezza.py)
    page = BeautifulSoup(raw, "html.parser")
    assert 'Ada "La Rocca" & C. 3 < 5: Referente sub-ambito' in page.select_one(".atlante-verbale__persone").get_text()
    link = page.find("a", string="Presentazione")
    assert link["href"] == "../allegati/slide.pdf"
    assert (sito_riservato / "verbali" / "allegati" / "slide.pdf").is_file()
    assert "Testo pubblico della seduta." in page.select_one("article").get_text()


def test_reserved_without_text_says_so(sito_riservato):
    page = BeautifulSoup(
        (sito_riservato / "verbali" / SENZA_TESTO / "index.html").read_text(encoding="utf-8"), "html.parser"
    )
    box = page.select_one(".atlante-riservato")
    assert "Il testo non è pubblicato su questo sito." in box.get_text()
    assert "chiederla all'Ufficio di Piano" in box.get_text()
    assert box.select_one("form") is None


def test_reserved_verbali_in_feeds_with_metadata_only(sito_riservato):
    import feedparser

    f = feedparser.parse((sito_riservato / "feed" / "verbali-comitato-ristretto.atom.xml").read_bytes())
    assert not f.bozo
    (e,) = f.entries
    assert e.summary.startswith("Verbale riservato: sono pubblici solo i dati della seduta.")


def test_build_without_folder_or_password_succeeds_and_says_reserved(tmp_path, monkeypatch):
    monkeypatch.delenv("ATLANTE_RISERVATI_DIR", raising=False)
    monkeypatch.delenv("ATLANTE_RISERVATI_PASSWORD", raising=False)
    site = build_site(_progetto(tmp_path))
    text = (site / "verbali" / CON_TESTO / "index.html").read_text(encoding="utf-8")
    assert "Il testo non è pubblicato su questo sito." in text and "data-busta" not in text


@pytest.mark.parametrize(
    "password,motivo",
    [
        ("corta1A!", "troppo corta (8 caratteri, minimo 16)"),
        ("abababababababababab", "troppo pochi caratteri diversi"),
        ("abcdefghijklmnop", "troppo prevedibile"),
    ],
)
def test_weak_password_stops_the_build(tmp_path, monkeypatch, password, motivo):
    progetto = _progetto(tmp_path)
    monkeypatch.setenv("ATLANTE_RISERVATI_DIR", str(tmp_path / "riservati"))
    monkeypatch.setenv("ATLANTE_RISERVATI_PASSWORD", password)
    with pytest.raises(BuildFallita) as exc:
        build_site(progetto)
    assert "Verbali riservati: la password dei verbali riservati" in str(exc.value)
    assert motivo in str(exc.value)


def test_half_configured_stops_the_build(tmp_path, monkeypatch):
    progetto = _progetto(tmp_path)
    monkeypatch.setenv("ATLANTE_RISERVATI_DIR", str(tmp_path / "riservati"))
    monkeypatch.delenv("ATLANTE_RISERVATI_PASSWORD", raising=False)
    with pytest.raises(BuildFallita, match="manca la password"):
        build_site(progetto)


def test_folder_inside_the_project_stops_the_build(tmp_path, monkeypatch):
    progetto = _progetto(tmp_path)
    dentro = progetto.root / "riservati"
    dentro.mkdir()
    monkeypatch.setenv("ATLANTE_RISERVATI_DIR", str(dentro))
    monkeypatch.setenv("ATLANTE_RISERVATI_PASSWORD", PASSWORD)
    with pytest.raises(BuildFallita, match="deve stare fuori dal progetto"):
        build_site(progetto)


def test_build_command_option(tmp_path, monkeypatch, capsys):
    from atlante.cli.principale import main

    progetto = _progetto(tmp_path)
    monkeypatch.setenv("ATLANTE_RISERVATI_DIR", "")  # the command sets it: restored after the test
    monkeypatch.setenv("ATLANTE_RISERVATI_PASSWORD", PASSWORD)
    assert main(["--root", str(progetto.root), "build", "--riservati", str(tmp_path / "riservati")]) == 0
    page = (progetto.root / "site" / "verbali" / CON_TESTO / "index.html").read_text(encoding="utf-8")
    assert "data-busta" in page and MARKER not in page


def test_password_rule_and_envelope():
    assert debolezza(PASSWORD) is None
    assert debolezza("quattro parole a caso insieme") is None
    with pytest.raises(PasswordDebole):
        cifra("x", "password", "id")
    a, b = (
        cifra("stesso testo", PASSWORD, "v1", iterazioni=1000),
        cifra("stesso testo", PASSWORD, "v1", iterazioni=1000),
    )
    assert a["salt"] != b["salt"] and a["iv"] != b["iv"] and a["ct"] != b["ct"]  # fresh salt and nonce
    assert decifra(a, PASSWORD) == "stesso testo"
    from cryptography.exceptions import InvalidTag

    with pytest.raises(InvalidTag):
        decifra(dict(a, ad="un-altro-verbale"), PASSWORD)  # bound to its page
    with pytest.raises(InvalidTag):
        decifra(a, PASSWORD + "x")


@pytest.mark.browser
def test_decrypt_in_chromium(sito_riservato, browser):
    from browser import serve_site

    with serve_site(sito_riservato) as url:
        page = browser.new_page()
        page.goto(f"{url}/verbali/{CON_TESTO}/")
        page.fill("input[name=password]", "password-sbagliata-ma-lunga-9")
        page.click("form.atlante-riservato__form button")
        esito = page.locator(".atlante-riservato__esito")
        esito.filter(has_text="Password errata").wait_for(timeout=20_000)
        assert page.locator(".atlante-riservato__testo").is_hidden()
        page.fill("input[name=password]", PASSWORD)
        page.click("form.atlante-riservato__form button")
        testo = page.locator(".atlante-riservato__testo")
        testo.wait_for(state="visible", timeout=20_000)
        assert MARKER in testo.inner_text()
        assert testo.locator("table td").first.inner_text() == "contributo straordinario"
        from test_verbali_sito import axe_contenuto

        assert [v["id"] for v in axe_contenuto(page)] == []
        assert page.external_requests == []
        page.close()
