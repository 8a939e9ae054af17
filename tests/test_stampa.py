"""Stamped record pages (atlante.motore.stampa) are the pages MkDocs renders, byte for byte.

The site is built twice from the same project: once with ATLANTE_STAMPA=0 (MkDocs renders every
record page through the theme), once as usual (one shell per kind, the rest stamped). Every HTML
file must be identical; the sitemap lists the same pages and the search index holds the same ones.
"""

from __future__ import annotations

import gzip
import re
import textwrap

import pytest

from aiuti import ROOT, copy_project, frammenti_pagefind
from atlante.lettura.progetto import Progetto
from atlante.motore import genera as gen
from atlante.motore.costruzione import build_site
from atlante.motore.stampa import ENV_STAMPA, Stampa

# Records that add what the shipped data lacks: a second pact (so the pacts have a shell of their
# own) with every optional field and no description, and an ente whose name and text need escaping.
SCHEDE_IN_PIU = {
    "patti/patto-prova-stampa.yml": """
        nome: Patto "di prova" per la stampa
        tipologia: territorio
        comuni: [Crema, Offanengo]
        capofila: aima-crema-odv
        aderenti: [aima-crema-odv, Un gruppo di vicini]
        periodo: {inizio: 2025-01-01, fine: 2026-12-31}
        stato: in_corso
        finanziamento: {importo: 12500.5, fonte: Bando regionale}
        obiettivi: [Mettere in rete i servizi, Aprire il cortile]
        documenti:
          - {titolo: Testo del patto, url: "https://example.org/patto.pdf"}
        temi: [anziani]
        verificato_il: 2026-01-10
        fonte: Prova
    """,
    "ets/ente-prova-stampa.yml": """
        nome: L'ente «Prova» & C. "tra virgolette"
        descrizione: |-
          Un testo con **grassetto**, un [link](https://example.org/?a=1&b=2) e un elenco:

          - primo punto
          - secondo	punto con tabulazione
        comune: Crema
        indirizzo: Via Roma 1
        cap: "26013"
        posizione: {lat: 45.3636, lon: 9.6868}
        contatti:
          telefono: ["0373 123456", "333 1234567"]
          email: prova@example.org
          pec: prova@pec.example.org
          sito_web: https://example.org/
          social: [https://example.org/social]
        orari: Mo-Fr 09:00-12:00; Sa 10:00-12:00
        accessibilita: Ingresso senza gradini
        forma_giuridica: associazione
        runts: {iscritto: true, sezione: odv, numero_repertorio: "12345"}
        attivita: [Ascolto, Accompagnamento]
        destinatari: [Anziani, Famiglie]
        temi: [anziani, domiciliarita]
        verificato_il: 2026-01-10
        fonte: Prova
    """,
    "ets/ente-sintetico-stampa.yml": """
        nome: Ente sintetico mai pubblicato
        comune: Crema
        verificato_il: 2026-01-10
        sintetico: true
    """,
}


def _progetto(tmp_path):
    root = copy_project(tmp_path / "p")
    for rel, testo in SCHEDE_IN_PIU.items():
        (root / "data" / "enti" / rel).write_text(
            "# yaml-language-server: $schema=x\n" + textwrap.dedent(testo).lstrip("\n"), encoding="utf-8"
        )
    return root


@pytest.fixture(scope="module")
def due_siti(tmp_path_factory):
    """(rendered, stamped): the same project built without and with stamping."""
    root = _progetto(tmp_path_factory.mktemp("stampa"))
    mp = pytest.MonkeyPatch()
    try:
        mp.setenv(ENV_STAMPA, "0")
        resi = build_site(Progetto(root), root.parent / "resi")
        mp.delenv(ENV_STAMPA)
        stampati = build_site(Progetto(root), root.parent / "stampati")
    finally:
        mp.undo()
    return resi, stampati


def _html(site):
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*.html")}


def test_stamped_pages_are_byte_identical_to_rendered_ones(due_siti):
    resi, stampati = due_siti
    a, b = _html(resi), _html(stampati)
    assert sorted(a) == sorted(b)
    diversi = [k for k in a if a[k] != b[k]]
    assert diversi == []
    schede = [k for k in a if re.fullmatch(r"enti/[a-z]+/[^/]+/index\.html", k)]
    assert len(schede) >= 250
    # the compared record pages show every optional part of the record template
    modello = (ROOT / "scripts/atlante/pagine/modelli/scheda.html").read_text(encoding="utf-8")
    parti = set(re.findall(r'id="([a-z-]+)"', modello))
    parti |= {c for v in re.findall(r'class="([a-z -]+)"', modello) for c in v.split() if c.startswith("atlante-")}
    assert len(parti) > 30
    testo = b"".join(a[k] for k in schede).decode("utf-8")
    mancano = sorted(p for p in parti if not re.search(f'[" ]{p}[" ]', testo))
    assert mancano == []
    # escaped once, as every page: in <title>, the header and the content
    ente = a["enti/ets/ente-prova-stampa/index.html"].decode("utf-8")
    nome = "L&#x27;ente «Prova» &amp; C. &quot;tra virgolette&quot;"
    assert f"<title>{nome} - Atlante di Comunità</title>" in ente
    assert ente.count(nome) >= 2
    # a record without description has the site's description, as Material writes it
    patto = a["enti/patti/patto-prova-stampa/index.html"].decode("utf-8")
    assert '<meta name="description" content="La rete sociale' in patto
    # synthetic records are not published either way
    assert not (stampati / "enti/ets/ente-sintetico-stampa").exists()


def test_stamped_pages_are_in_the_sitemap_and_in_the_search_index(due_siti):
    resi, stampati = due_siti

    def voci(site):
        xml = (site / "sitemap.xml").read_text(encoding="utf-8")
        assert gzip.decompress((site / "sitemap.xml.gz").read_bytes()).decode("utf-8") == xml
        return sorted(re.findall(r"<loc>([^<]+)</loc>", xml))

    assert voci(stampati) == voci(resi)
    assert "https://atlante.example.org/enti/ets/ente-prova-stampa/" in voci(stampati)
    indice = frammenti_pagefind(stampati)
    assert sorted(indice) == sorted(frammenti_pagefind(resi))
    assert "Accompagnamento" in indice["/enti/ets/ente-prova-stampa/"]["content"]


def test_mkdocs_renders_one_shell_per_family(tmp_path):
    root = _progetto(tmp_path)
    ctx = gen.contesto(Progetto(root), config={"site_url": "https://example.org/", "site_description": "x"})
    pagine = gen.genera(ctx)
    stampa = Stampa(attiva=True, site_description="x")
    per_mkdocs = stampa.per_mkdocs(pagine)
    cartelle = sorted(g.famiglia.split(" ")[0] for g in stampa.gusci.values())
    # records of each kind, the kind tables (enti/<cartella>/), comuni, temi
    assert cartelle == [
        "comuni",
        "enti",
        "enti/biblioteche",
        "enti/ets",
        "enti/patti",
        "enti/servizi",
        "enti/udo",
        "temi",
    ]
    stampate = sum(len(g.pagine) for g in stampa.gusci.values())
    assert stampate > 300
    assert len(per_mkdocs) == len(pagine) - stampate + len(stampa.gusci)
    assert Stampa(attiva=False, site_description="x").per_mkdocs(pagine) == pagine
