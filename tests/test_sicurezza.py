"""The hostile-input corpus (tests/ostili/): every input is refused by `atlante validate` with
file:line and an Italian message, or proven inert in headless Chromium, with a positive control.

Two throw-away projects for the whole module: one holding every refused input (validated once,
by the real command), one built ONCE into a site holding every browser payload, in news, verbali,
organi and a reserved verbale, next to scratch control pages where the same payloads run raw.
The browser site is built with the validator told to ignore the corpus files, so that the pages
alone must keep the payloads inert (the first test proves the validator refuses them anyway).
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from aiuti import ROOT, copy_project
from atlante.lettura.progetto import Progetto
from atlante.motore import preparazione
from atlante.motore.costruzione import BuildFallita, build_site
from atlante.validazione.controlli import validate

OSTILI = Path(__file__).with_name("ostili")
RIFIUTATI = yaml.safe_load((OSTILI / "rifiutati.yml").read_text(encoding="utf-8"))
CARICHI = yaml.safe_load((OSTILI / "carichi.yml").read_text(encoding="utf-8"))
PASSWORD = "Graffetta-lampione-ottobre-41"
MARCATURA = "TESTO-RISERVATO-ZK77"
A, B = "2026-02-01-riservato-a", "2026-02-02-riservato-b"
CATTURA = (
    "Seduta <img src=x onerror=\"document.addEventListener('submit', function () {"
    " window.__ostile_pw = document.querySelector('input[name=password]').value }, true)\">"
)


def _atlante(root: Path, *args: str) -> subprocess.CompletedProcess:
    """The real command, as a contributor runs it (bytes: the terminal output is under test)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT / "scripts"))
    return subprocess.run(
        [sys.executable, "-m", "atlante", "--root", str(root), *args], capture_output=True, env=env, timeout=120
    )


# -- refused by the validator ---------------------------------------------------------------


@pytest.fixture(scope="module")
def rifiutato(tmp_path_factory):
    root = copy_project(tmp_path_factory.mktemp("rifiutati"), with_records=False)
    organi = root / "data" / "organi.yml"
    righe_organi = len(organi.read_text(encoding="utf-8").splitlines())
    for caso in RIFIUTATI:
        path = root / caso["file"]
        path.parent.mkdir(parents=True, exist_ok=True)
        if path == organi:
            organi.write_text(organi.read_text(encoding="utf-8") + caso["testo"], encoding="utf-8")
        else:
            path.write_text(caso["testo"], encoding="utf-8")
    return root, righe_organi


@pytest.fixture(scope="module")
def uscita_validate(rifiutato):
    return _atlante(rifiutato[0], "validate")


def test_validate_refuses_every_hostile_input_with_file_line_and_italian_message(rifiutato, uscita_validate):
    _, righe_organi = rifiutato
    assert uscita_validate.returncode == 1
    righe = uscita_validate.stdout.decode("utf-8").splitlines()
    mancano = []
    for caso in RIFIUTATI:
        for riga, campo, frammento in caso["attese"]:
            if caso["file"] == "data/organi.yml":
                riga += righe_organi
            testa = f"{caso['file']}:{riga}:"
            if not any(r.startswith(testa) and f": {campo}: " in r and frammento in r for r in righe):
                mancano.append(f"{testa} {campo}: {frammento}")
    assert not mancano, "\n".join(mancano) + "\n--- uscita:\n" + "\n".join(righe)


def test_validate_output_shows_control_characters_escaped(uscita_validate):
    out = uscita_validate.stdout
    for ch in ("\x1b", "\x07", "\x00", "\u202e"):
        assert ch.encode("utf-8") not in out
    testo = out.decode("utf-8")
    # A value quoted in a message cannot add a line of its own ("Tutte le schede sono valide.").
    assert "Tutte le schede sono valide." not in testo.splitlines()
    problemi = [r for r in testo.splitlines() if re.match(r"^\S+:\d+:\d+: ", r)]
    assert testo.splitlines() == problemi + [testo.splitlines()[-1]]  # one line per problem, then the count


def test_validate_quotes_hostile_values_visibly_escaped(tmp_path):
    root = copy_project(tmp_path / "p", with_records=False)
    (root / "data/enti/ets/comune-finto.yml").write_text(
        'nome: Associazione\ncomune: "Crema\\e]52;c;ZXZpbA==\\a\\nTutte le schede sono valide."\n'
        "verificato_il: 2026-01-15\n",
        encoding="utf-8",
    )
    r = _atlante(root, "validate")
    assert r.returncode == 1 and b"\x1b" not in r.stdout and b"\x07" not in r.stdout
    riga = next(x for x in r.stdout.decode("utf-8").splitlines() if "comune sconosciuto" in x)
    assert riga.startswith("data/enti/ets/comune-finto.yml:2:")
    assert "'Crema\\x1b]52;c;ZXZpbA==\\x07\\nTutte le schede sono valide.'" in riga


def test_stale_table_shows_control_characters_escaped(rifiutato):
    r = _atlante(rifiutato[0], "stale", "--mesi", "0", "--al", "2026-12-01")
    assert r.returncode == 0, r.stderr.decode()
    assert b"\x1b" not in r.stdout and b"\x07" not in r.stdout and b"\x00" not in r.stdout
    assert "Associazione \\x1b]52;c;ZXZpbA==\\x07 finta" in r.stdout.decode("utf-8")


def test_build_stops_with_the_validator_messages_not_a_traceback(rifiutato):
    """NUL and ESC in names would make lxml raise in the feeds; index.yml would be a page made twice."""
    with pytest.raises(BuildFallita) as e:
        build_site(Progetto(rifiutato[0]), site_dir=rifiutato[0] / "site")
    msg = str(e.value)
    assert "Traceback" not in msg
    for atteso in (
        "data/enti/ets/nome-con-nul.yml:1:",
        "content/news/2026-01-21-escape.md:3:",
        "data/enti/ets/index.yml:1:",
    ):
        assert atteso in msg
    assert not (rifiutato[0] / "site").exists()


def test_validator_message_for_remote_image_says_why():
    from atlante.validazione.testo import problemi_testo

    [(_, msg, hint)] = problemi_testo("Logo: ![logo](https://tracker.example/l.png)", una_riga=False)
    assert "altro sito" in msg and "indirizzo relativo" in hint


# -- inert in the browser -------------------------------------------------------------------


def _con(carico: str, flag: str) -> str:
    return carico.replace("{flag}", flag)


def _flag(cid: str, luogo: str) -> str:
    return f"__ostile_{cid}_{luogo}"


def _riga(carico: dict, luogo: str, semplice: str) -> str:
    """The payload for a one-line field (titles, names), or plain text if it only goes in bodies."""
    return _con(carico["carico"], _flag(carico["id"], luogo)) if "titolo" in carico["dove"] else semplice


def _scrivi_corpus(root: Path) -> None:
    news, verbali = root / "content" / "news", root / "content" / "verbali"
    controllo = root / "content" / "controllo"
    for d in (news, verbali, controllo):
        d.mkdir(parents=True, exist_ok=True)
    organi = []
    for i, c in enumerate(CARICHI, start=1):
        cid = c["id"]
        corpo = _con(c["carico"], _flag(cid, "corpo"))
        fm = {
            "data": f"2026-01-{i:02d}",
            "titolo": _riga(c, "notizia_titolo", f"Notizia di prova {cid}"),
            "categoria": "sito",
            "sommario": _riga(c, "notizia_sommario", f"Sommario di prova {cid}"),
        }
        (news / f"2026-01-{i:02d}-ostile-{cid}.md").write_text(
            "---\n" + "".join(f"{k}: {json.dumps(v)}\n" for k, v in fm.items()) + f"---\n\nPrima.\n\n{corpo}\n",
            encoding="utf-8",
        )
        organi.append(
            {
                "id": f"ostile-{cid}",
                "nome": _riga(c, "organo_nome", f"Organo di prova {cid}"),
                "livello": "ambito",
                "descrizione": "Organo di prova.",
                "composizione": "Nessuno.",
                "fonte": "Prova di sicurezza",
            }
        )
        fm = {
            "organo": f"ostile-{cid}",
            "titolo": _riga(c, "verbale_titolo", f"Seduta di prova {cid}"),
            "data": f"2026-01-{i:02d}",
            "ora_inizio": "10:00",
            "seduta": f"{i}/26",
            "modalita": "presenza",
            "luogo": _riga(c, "verbale_luogo", "Crema"),
            "presenti": [{"nome": _riga(c, "verbale_persona", "Persona Uno"), "ruolo": "Referente"}],
            "ordine_del_giorno": [{"oggetto": _riga(c, "verbale_oggetto", "Punto unico")}],
            "visibilita": "pubblico",
        }
        (verbali / f"2026-01-{i:02d}-ostile-{cid}.md").write_text(
            "---\n" + "".join(f"{k}: {json.dumps(v)}\n" for k, v in fm.items()) + f"---\n\nPrima.\n\n{corpo}\n",
            encoding="utf-8",
        )
        # The control: the same payload, raw, in a hand-written page of the same site (Python-Markdown
        # with raw HTML and attr_list, Material printing the title as given).
        raw = _con(c["carico"], _flag(cid, "controllo"))
        titolo = f"title: {json.dumps(raw)}\n" if "titolo" in c["dove"] else ""
        intestazione = f"# {raw}\n\n" if "titolo" in c["dove"] else "# Controllo\n\n"
        (controllo / f"{cid}.md").write_text(f"---\n{titolo}---\n\n{intestazione}{raw}\n", encoding="utf-8")
    for n, (nome, titolo) in enumerate(((A, CATTURA), (B, "Seduta riservata B")), start=1):
        fm = {
            "organo": "ufficio-di-piano",
            "titolo": titolo,
            "data": nome[:10],
            "ora_inizio": "10:00",
            "seduta": f"{n}/26",
            "modalita": "telematica",
            "presenti": [{"nome": "Persona Uno", "ruolo": "Referente"}],
            "ordine_del_giorno": ["Punto unico"],
            "visibilita": "riservato",
        }
        (verbali / f"{nome}.md").write_text(
            "---\n" + "".join(f"{k}: {json.dumps(v)}\n" for k, v in fm.items()) + "---\n", encoding="utf-8"
        )
    path = root / "data" / "organi.yml"
    path.write_text(path.read_text(encoding="utf-8") + yaml.safe_dump(organi, allow_unicode=True), encoding="utf-8")


def _valida_senza_corpus(progetto, paths=None, lette=None, sui_core=True):
    """The validator minus its findings on the corpus files, so that those pages get built."""
    corpus = ("ostile", "riservato-a")
    trovati = validate(progetto, paths, lette, sui_core)
    return [p for p in trovati if not any(c in p.path or c in p.campo for c in corpus)]


@pytest.fixture(scope="module")
def sito_ostile(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("ostile")
    root = copy_project(tmp / "p", with_records=False)
    _scrivi_corpus(root)
    riservati = tmp / "riservati"
    riservati.mkdir()
    for nome in (A, B):
        (riservati / f"{nome}.md").write_text(f"Testo del verbale {nome[-1]}: {MARCATURA}.\n", encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ATLANTE_RISERVATI_DIR", str(riservati))
        mp.setenv("ATLANTE_RISERVATI_PASSWORD", PASSWORD)
        mp.setattr(preparazione, "validate", _valida_senza_corpus)
        sito = build_site(Progetto(root))
    # Controls of the reserved pages, in the same site: A's page with its title unescaped, and
    # B's page carrying A's envelope.
    pagina_a = (sito / "verbali" / A / "index.html").read_text(encoding="utf-8")
    scappato = [x for x in {html.escape(CATTURA), html.escape(CATTURA, quote=False)} if x in pagina_a]
    assert scappato, "il titolo di A non compare nella pagina"
    controllo = pagina_a
    for x in scappato:
        controllo = controllo.replace(x, CATTURA)
    (sito / "verbali" / "controllo-password").mkdir()
    (sito / "verbali" / "controllo-password" / "index.html").write_text(controllo, encoding="utf-8")
    busta = re.compile(r'data-busta="[^"]*"')
    pagina_b = (sito / "verbali" / B / "index.html").read_text(encoding="utf-8")
    spostata = busta.sub(lambda _: busta.search(pagina_a).group(), pagina_b)
    assert spostata != pagina_b
    (sito / "verbali" / "busta-spostata").mkdir()
    (sito / "verbali" / "busta-spostata" / "index.html").write_text(spostata, encoding="utf-8")
    return sito


@pytest.fixture(scope="module")
def server_ostile(sito_ostile):
    from browser import serve_site

    with serve_site(sito_ostile) as url:
        yield url


def _visita(browser, url: str, clicca: str | None = None) -> dict:
    """Open a page, wait for its payloads to have their chance, and report what ran."""
    page = browser.new_page()
    dialoghi = []
    page.on("dialog", lambda d: (dialoghi.append(d.message), d.dismiss()))
    risposta = page.goto(url, wait_until="load")
    assert risposta is not None and risposta.ok, url
    page.wait_for_timeout(150)
    if clicca:
        for link in page.get_by_role("link", name=clicca).all():
            link.click()
        page.wait_for_timeout(100)
    flag = page.evaluate("Object.keys(window).filter(k => k.startsWith('__ostile'))")
    return {"flag": flag, "dialoghi": dialoghi, "esterne": list(page.external_requests), "page": page}


def _esito(carico: dict, v: dict) -> bool:
    """Whether the payload ran on the visited page."""
    return {
        "flag": bool(v["flag"]),
        "clic": bool(v["flag"]),
        "dialogo": bool(v["dialoghi"]),
        "richiesta": any("tracker.example" in u for u in v["esterne"]),
    }[carico["prova"]]


def _pagine_ostili(i: int, cid: str) -> list[tuple[str, str]]:
    """The pages of one payload, with the place whose text is the page's title."""
    return [
        (f"news/2026-01-{i:02d}-ostile-{cid}/", "notizia_titolo"),
        (f"verbali/2026-01-{i:02d}-ostile-{cid}/", "verbale_titolo"),
        (f"verbali/organi/ostile-{cid}/", "organo_nome"),
    ]


@pytest.mark.browser
@pytest.mark.parametrize("carico", CARICHI, ids=[c["id"] for c in CARICHI])
def test_payload_inert_in_news_verbali_organi_and_runs_in_its_control(browser, server_ostile, carico):
    i = CARICHI.index(carico) + 1
    clicca = "clicca qui" if carico["prova"] == "clic" else None
    controllo = _visita(browser, f"{server_ostile}/controllo/{carico['id']}/", clicca)
    assert _esito(carico, controllo), f"il controllo non ha eseguito il carico {carico['id']}: la prova non vale"
    for url, luogo in _pagine_ostili(i, carico["id"]):
        v = _visita(browser, f"{server_ostile}/{url}", clicca)
        assert not v["flag"] and not v["dialoghi"] and not v["esterne"], (url, v)
        articolo = v["page"].locator("article")
        if "organi" not in url:
            assert "Prima." in articolo.inner_text()  # the body was rendered, payload and all
        if "titolo" in carico["dove"]:  # the title shows exactly as written, attr_list syntax included
            atteso = _con(carico["carico"], _flag(carico["id"], luogo))
            assert articolo.locator("h1").first.inner_text().strip() == atteso


@pytest.mark.browser
@pytest.mark.parametrize("url", ["", "news/", "news/categorie/sito/", "verbali/"])
def test_lists_and_home_show_payloads_as_text(browser, server_ostile, url):
    v = _visita(browser, f"{server_ostile}/{url}")
    assert not v["flag"] and not v["dialoghi"], v
    assert not [u for u in v["esterne"] if "tile.openstreetmap.org" not in u], v["esterne"]


@pytest.mark.browser
def test_search_results_show_payloads_as_text(browser, server_ostile):
    """The search dialog renders titles and excerpts of the indexed pages: the payloads stay text."""
    page = browser.new_page()
    dialoghi = []
    page.on("dialog", lambda d: (dialoghi.append(d.message), d.dismiss()))
    page.goto(f"{server_ostile}/news/", wait_until="load")
    page.click(".atlante-ricerca-apri")
    trovati = 0
    for parola in ("Notizia", "Grafico", "Avviso", "Titolo", "Verbale", "Seduta"):
        page.fill("#atlante-ricerca-q", parola)
        page.wait_for_function(
            "() => /risultat|Nessun/.test(document.querySelector('.atlante-ricerca-stato').textContent)",
            timeout=20_000,
        )
        page.wait_for_timeout(200)
        trovati += page.locator(".atlante-ricerca-risultato").count()
    assert trovati > 0
    assert page.evaluate("Object.keys(window).filter(k => k.startsWith('__ostile'))") == []
    assert not dialoghi and not page.external_requests


def _decifra(browser, url: str) -> dict:
    v = _visita(browser, url)
    page = v["page"]
    page.fill("input[name=password]", PASSWORD)
    page.click("form.atlante-riservato__form button")
    page.wait_for_function(
        "() => !document.querySelector('.atlante-riservato__testo').hidden"
        " || /Password errata/.test(document.querySelector('.atlante-riservato__esito').textContent)",
        timeout=30_000,
    )
    v["testo"] = page.locator(".atlante-riservato__testo").inner_text()
    v["esito"] = page.locator(".atlante-riservato__esito").text_content()
    v["catturata"] = page.evaluate("window.__ostile_pw")
    return v


@pytest.mark.browser
def test_reserved_title_cannot_capture_the_password(browser, server_ostile):
    controllo = _decifra(browser, f"{server_ostile}/verbali/controllo-password/")
    assert controllo["catturata"] == PASSWORD, "il controllo non ha catturato la password: la prova non vale"
    v = _decifra(browser, f"{server_ostile}/verbali/{A}/")
    assert v["catturata"] is None and not v["dialoghi"] and not v["esterne"]
    assert MARCATURA in v["testo"] and "Testo del verbale a" in v["testo"]
    assert "Decifratura in corso" not in (v["esito"] or "")
    assert v["page"].locator(".md-header__topic").last.inner_text().strip().startswith("Seduta <img src=x")


@pytest.mark.browser
def test_envelope_pasted_into_another_verbale_does_not_decrypt(browser, server_ostile):
    propria = _decifra(browser, f"{server_ostile}/verbali/{B}/")
    assert "Testo del verbale b" in propria["testo"]
    v = _decifra(browser, f"{server_ostile}/verbali/busta-spostata/")
    assert "Password errata" in v["esito"] and not v["testo"].strip()
    assert v["page"].locator(".atlante-riservato__testo").is_hidden()


@pytest.mark.parametrize(
    "riga", ["# Titolo {testo}", "- voce\n{testo}", "| a |\n|---|\n| b {cella} |", "[a](x.md){testo}", "**a**{testo}"]
)
def test_escaped_text_cannot_reach_attr_list(riga):
    """md_testo (headings, links, lists) and md (table cells) leave no `{: ...}` for attr_list."""
    import markdown

    from atlante.pagine.modelli import md, md_testo

    carico = '{: tabindex="0" autofocus onfocus="window.f=1" }'
    testo = riga.format(testo=md_testo(carico), cella=md(carico))
    out = markdown.markdown(testo, extensions=["attr_list", "tables"])
    assert not re.search(r"<\w+[^>]*\sonfocus=", out), out
    crudo = markdown.markdown(riga.format(testo=carico, cella=carico), extensions=["attr_list", "tables"])
    assert re.search(r"<\w+[^>]*\sonfocus=", crudo), crudo  # the control: unescaped, attr_list obeys


# -- the importer: crashes and bombs become messages ---------------------------------------


def test_import_csv_cell_over_the_csv_limit_is_a_message_with_line(tmp_path):
    root = copy_project(tmp_path / "p", with_records=False)
    foglio = tmp_path / "enti.csv"
    foglio.write_text(
        f'Denominazione;Comune;Note\nAssociazione Uno;Crema;breve\nAssociazione Due;Crema;"{"x" * 140_000}"\n',
        encoding="utf-8",
    )
    r = _atlante(root, "import", str(foglio), "--tipo", "ets", "--prova")
    err = r.stderr.decode("utf-8")
    assert r.returncode == 2 and "Traceback" not in err, err
    assert "enti.csv:3: la riga non si legge come CSV: una cella supera 128 KB" in err


def test_import_mapping_with_nested_aliases_is_refused_at_once(tmp_path):
    import time

    root = copy_project(tmp_path / "p", with_records=False)
    foglio = tmp_path / "enti.csv"
    foglio.write_text("Denominazione;Comune\nAssociazione Uno;Crema\n", encoding="utf-8")
    righe = ['l0: &l0 ["ha", "ha", "ha", "ha", "ha", "ha", "ha", "ha", "ha"]']
    righe += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, 9)]
    mappa = tmp_path / "mappa.yml"
    mappa.write_text("\n".join(righe) + "\ncolonne:\n  Denominazione: nome\n", encoding="utf-8")
    inizio = time.monotonic()
    r = _atlante(root, "import", str(foglio), "--tipo", "ets", "--mappatura", str(mappa), "--prova")
    assert time.monotonic() - inizio < 20  # a plain YAML load of this file takes 9 s and 736 MB
    err = r.stderr.decode("utf-8")
    assert r.returncode == 2 and "Traceback" not in err, err
    assert f"{mappa}:1:" in err and "gli alias e le ancore YAML (& e *) non sono ammessi" in err
