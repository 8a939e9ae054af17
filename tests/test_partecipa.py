"""The contributor tools: field guide pages, `atlante new`, `atlante stale`."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from atlante.cli.principale import main
from atlante.lettura.progetto import TIPI, Progetto
from atlante.strumenti.nuovo import crea, nome_file
from atlante.validazione.controlli import validate

ROOT = Path(__file__).resolve().parent.parent


def _deref(schemas: dict, s: dict, base: str) -> tuple[dict, str]:
    """Follow $ref chains (siblings such as title win), returning the schema and its document."""
    while "$ref" in s:
        doc, _, ptr = s["$ref"].partition("#")
        doc = doc or base
        target = schemas[doc]
        for part in [p for p in ptr.split("/") if p]:
            target = target[part]
        s, base = {**target, **{k: v for k, v in s.items() if k != "$ref"}}, doc
    return s, base


def _schema_campi(schemas: dict, schema: dict, base: str, prefisso="") -> dict[str, bool]:
    """Dotted field -> required, read straight from the JSON files (independent of campi.py)."""
    schema, base = _deref(schemas, schema, base)
    out = {}
    required = set(schema.get("required", []))
    for nome, sub in schema.get("properties", {}).items():
        out[prefisso + nome] = nome in required
        sub, sub_base = _deref(schemas, sub, base)
        figlio = sub if sub.get("type") == "object" else sub.get("items", {})
        figlio, figlio_base = _deref(schemas, figlio, sub_base)
        if figlio.get("properties"):
            out.update(_schema_campi(schemas, figlio, figlio_base, prefisso + nome + "."))
    return out


def _schemas() -> dict:
    return {
        p.name: json.loads(p.read_text(encoding="utf-8")) for p in (ROOT / "data" / "schemas").glob("*.schema.json")
    }


def _tabella_guida(sito: Path, tipo) -> dict[str, str]:
    html = (sito / "partecipa" / f"campi-{tipo.id}" / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    table = soup.select_one("article table")
    righe = {}
    for tr in table.select("tbody tr"):
        celle = tr.find_all("td")
        righe[celle[0].get_text(strip=True)] = celle[3].get_text(" ", strip=True)
    return righe


@pytest.mark.parametrize("tipo", list(TIPI.values()), ids=list(TIPI))
def test_field_guide_lists_every_schema_field_with_its_required_mark(sito, tipo):
    schemas = _schemas()
    attesi = _schema_campi(schemas, schemas[tipo.schema], tipo.schema)
    righe = _tabella_guida(sito, tipo)
    assert set(righe) == set(attesi)
    for campo, obbligatorio in attesi.items():
        if "." not in campo:  # top level: exactly "sì" or "no"
            assert righe[campo] == ("sì" if obbligatorio else "no"), campo
        elif obbligatorio:  # inside a group: required when the group is there
            assert righe[campo].startswith("sì, se compili"), campo
    if tipo.id == "ets":
        assert righe["runts.sezione"] == "sì, se iscritto è true"


def test_field_guide_shows_taxonomy_names_for_allowed_values(sito):
    html = (sito / "partecipa" / "campi-ets" / "index.html").read_text(encoding="utf-8")
    text = BeautifulSoup(html, "html.parser").get_text(" ")
    assert "odv (Organizzazioni di volontariato)" in " ".join(text.split())
    html = (sito / "partecipa" / "campi-udo" / "index.html").read_text(encoding="utf-8")
    assert "Residenza sanitaria assistenziale (RSA)" in BeautifulSoup(html, "html.parser").get_text()


@pytest.mark.parametrize("tipo", list(TIPI.values()), ids=list(TIPI))
def test_field_guide_example_record_passes_the_validator(sito, tipo, progetto_vuoto):
    html = (sito / "partecipa" / f"campi-{tipo.id}" / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    blocco = soup.select("article pre code")[-1].get_text()
    dati = yaml.safe_load(blocco)
    schemas = _schemas()
    attesi = {k for k in _schema_campi(schemas, schemas[tipo.schema], tipo.schema) if "." not in k}
    assert set(dati) == attesi - {"sintetico"}  # every field shown in use
    path = progetto_vuoto.enti_dir / tipo.cartella / "esempio.yml"
    path.write_text(blocco, encoding="utf-8")
    assert [p.text() for p in validate(progetto_vuoto) if p.is_error] == []


# -- atlante new -----------------------------------------------------------------


@pytest.mark.parametrize(
    "nome,atteso",
    [
        ("Società Sportiva Àncora d'Oro", "societa-sportiva-ancora-d-oro"),
        ("  A.V.I.S. - Sezione di Crema  ", "a-v-i-s-sezione-di-crema"),
        ("Cooperativa «Il Seme» ONLUS", "cooperativa-il-seme-onlus"),
        ("Perché no? Città & Comunità", "perche-no-citta-comunita"),
    ],
)
def test_file_name_from_entity_name(nome, atteso):
    assert nome_file(nome) == atteso


def test_file_name_is_cut_at_a_word_boundary():
    slug = nome_file("Associazione " + "molto lunga " * 20)
    intero = "associazione" + "-molto-lunga" * 20
    assert 70 < len(slug) <= 80 and intero.startswith(slug + "-")  # whole words only


def test_new_with_options_writes_every_field_and_validates(progetto_vuoto, capsys):
    rc = main(
        [
            "--root",
            str(progetto_vuoto.root),
            "new",
            "biblioteca",
            "--nome",
            "Biblioteca di Offanengo",
            "--comune",
            "offanengo",
            "--tipo-biblioteca",
            "punto_prestito",
        ]
    )
    out = capsys.readouterr().out
    path = progetto_vuoto.enti_dir / "biblioteche" / "biblioteca-di-offanengo.yml"
    assert rc == 0 and "Creata la scheda data/enti/biblioteche/biblioteca-di-offanengo.yml" in out
    testo = path.read_text(encoding="utf-8")
    assert testo.splitlines()[0] == "# yaml-language-server: $schema=../../schemas/biblioteca.schema.json"
    dati = yaml.safe_load(testo)
    assert dati == {
        "nome": "Biblioteca di Offanengo",
        "comune": "Offanengo",
        "verificato_il": dt.date.today(),
        "tipo": "punto_prestito",
    }
    schemas = _schemas()
    for campo in _schema_campi(schemas, schemas["biblioteca.schema.json"], "biblioteca.schema.json"):
        if campo != "sintetico":
            foglia = campo.rsplit(".", 1)[-1]
            spiegato = f"#   {foglia}:" if "." in campo else f"# {campo}:"
            assert spiegato in testo or f"\n{campo}:" in testo, campo
    assert validate(progetto_vuoto) == []


@pytest.mark.parametrize("tipo", list(TIPI.values()), ids=list(TIPI))
def test_uncommenting_every_optional_field_gives_a_valid_record(progetto_vuoto, tipo):
    """The commented examples are real values: a volunteer who uncomments them gets no error."""
    tipologia = {"servizio": "sportello", "patto": "territorio"}.get(getattr(tipo, "id", tipo), "cag")
    dati = {
        "nome": "Scheda di prova",
        "comune": "Crema",
        "comuni": ["Crema"],
        "tipo": "biblioteca",
        "tipologia": tipologia,
    }
    path = crea(progetto_vuoto, tipo, dati)
    righe = path.read_text(encoding="utf-8").splitlines()
    # Uncomment the example blocks (a '# key:' line at column 0 and its indented continuation),
    # leaving the explanations ('# Title: ...', '#   sub: ...') as comments.
    out, dentro = [], False
    for r in righe:
        if (
            r.startswith("# ")
            and not r.startswith("#  ")
            and ":" in r
            and r[2:].split(":")[0].isidentifier()
            and r[2:].split(":")[0].islower()
        ):
            out.append(r[2:])
            dentro = True
        elif dentro and (r.startswith("#   ") or r.startswith("# - ")):
            out.append(r[2:])
        else:
            dentro = False
            out.append(r)
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    dati_finali = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert "contatti" in dati_finali and "orari" in dati_finali
    assert [p.text() for p in validate(progetto_vuoto) if p.is_error] == []


def test_new_without_required_values_leaves_placeholders_the_validator_flags(progetto_vuoto, capsys):
    rc = main(["--root", str(progetto_vuoto.root), "new", "udo", "--nome", "Nido Girotondo"])
    out = capsys.readouterr().out
    assert rc == 0
    path = progetto_vuoto.enti_dir / "udo" / "nido-girotondo.yml"
    testo = path.read_text(encoding="utf-8").splitlines()
    riga_comune = next(i for i, r in enumerate(testo, 1) if r.startswith("comune:"))
    riga_tipologia = next(i for i, r in enumerate(testo, 1) if r.startswith("tipologia:"))
    problemi = [(p.line, p.campo, p.messaggio.split(":")[0]) for p in validate(progetto_vuoto) if p.is_error]
    assert problemi == sorted(
        [(riga_comune, "comune", "tipo sbagliato"), (riga_tipologia, "tipologia", "valore mancante")]
    )
    assert f"data/enti/udo/nido-girotondo.yml:{riga_comune}:" in out  # told right away


def test_new_never_overwrites(progetto_vuoto, capsys):
    args = ["--root", str(progetto_vuoto.root), "new", "ets", "--nome", "Gruppo Alpini", "--comune", "Crema"]
    assert main(args) == 0
    path = progetto_vuoto.enti_dir / "ets" / "gruppo-alpini.yml"
    path.write_text("nome: Gruppo Alpini\n# modificato a mano\n", encoding="utf-8")
    capsys.readouterr()
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "il file data/enti/ets/gruppo-alpini.yml esiste già: non lo sovrascrivo" in err
    assert path.read_text(encoding="utf-8") == "nome: Gruppo Alpini\n# modificato a mano\n"


@pytest.mark.parametrize(
    "args,codice,messaggio",
    [
        (["new", "ets", "--comune", "Crema"], 2, "serve il nome dell'ente"),
        (["new", "associazione", "--nome", "Prova"], 2, "tipo di scheda sconosciuto 'associazione'"),
        (["new", "ets", "--nome", "Prova", "--comune", "Crmea"], 1, "comune sconosciuto 'Crmea'"),
        (["new", "udo", "--nome", "Prova", "--tipologia", "asilo"], 1, "valore non ammesso per tipologia: 'asilo'"),
        (["new", "ets", "--nome", "Prova", "--verificato-il", "31/12/2025"], 2, "data non valida '31/12/2025'"),
        (["new", "ets", "--nome", "Prova", "--file", "Prova Due"], 2, "nome del file non valido 'Prova Due'"),
    ],
)
def test_new_refuses_bad_input_in_italian(progetto_vuoto, capsys, args, codice, messaggio):
    assert main(["--root", str(progetto_vuoto.root), *args]) == codice
    assert messaggio in capsys.readouterr().err
    assert not list(progetto_vuoto.enti_dir.rglob("*.yml"))


def test_new_asks_on_a_terminal_until_answers_are_valid(progetto_vuoto):
    risposte = iter(["", "Patto per la Terza Età", "Crema, Cremma", "Crema, Gomito"])
    detto = []
    path = crea(
        progetto_vuoto,
        TIPI["patto"],
        {},
        interattivo=True,
        leggi=lambda prompt: (detto.append(prompt), next(risposte))[1],
        scrivi=detto.append,
    )
    assert path.name == "patto-per-la-terza-eta.yml"
    assert yaml.safe_load(path.read_text(encoding="utf-8"))["comuni"] == ["Crema", "Gombito"]
    assert "Il nome serve per scegliere il nome del file: scrivilo, per favore." in detto
    assert any("comune sconosciuto 'Cremma'" in str(d) for d in detto)  # asked again
    assert next(risposte, None) is None
    assert validate(progetto_vuoto) == []


def test_new_offers_numbered_choices_for_allowed_values(progetto_vuoto):
    risposte = iter(["Asilo nido Arcobaleno", "Crema", "1"])
    path = crea(
        progetto_vuoto, TIPI["udo"], {}, interattivo=True, leggi=lambda prompt: next(risposte), scrivi=lambda *a: None
    )
    assert yaml.safe_load(path.read_text(encoding="utf-8"))["tipologia"] == "asilo_nido"


# -- atlante stale ---------------------------------------------------------------


def _scheda(progetto: Progetto, cartella: str, nome: str, testo: str) -> None:
    (progetto.enti_dir / cartella / f"{nome}.yml").write_text(testo, encoding="utf-8")


@pytest.fixture
def con_date(progetto_vuoto):
    p = progetto_vuoto
    _scheda(
        p,
        "ets",
        "vecchia",
        "nome: Associazione Vecchia\ncomune: Crema\nverificato_il: 2024-03-15\n"
        "contatti:\n  email: info@vecchia.it\n  telefono: [0373 123456, 333 1234567]\n",
    )
    _scheda(p, "ets", "al-limite", "nome: Associazione al Limite\ncomune: Soncino\nverificato_il: 2025-06-10\n")
    _scheda(p, "ets", "recente", "nome: Associazione Recente\ncomune: Crema\nverificato_il: 2025-06-11\n")
    _scheda(p, "biblioteche", "senza-data", "nome: Biblioteca Senza Data\ncomune: Crema\ntipo: biblioteca\n")
    _scheda(p, "ets", "sintetica", "nome: Sintetica\ncomune: Crema\nverificato_il: 2000-01-01\nsintetico: true\n")
    return p


def test_stale_lists_old_records_oldest_first_with_contacts(con_date, capsys):
    rc = main(["--root", str(con_date.root), "stale", "--al", "2026-06-10"])
    out = capsys.readouterr().out.splitlines()
    assert rc == 0
    assert out[0].split() == ["scheda", "verificato_il", "mesi", "nome", "comune", "email", "telefono"]
    schede = [r.split()[0] for r in out[2:-1]]
    assert schede == ["senza-data", "vecchia", "al-limite"]  # 'recente' is 11 months old
    assert "mancante" in out[2]
    assert "info@vecchia.it" in out[3] and "0373 123456, 333 1234567" in out[3] and " 26 " in out[3]
    assert out[-1] == "3 schede non verificate da almeno 12 mesi."


def test_stale_csv_and_custom_months(con_date, capsys):
    import csv
    import io

    assert main(["--root", str(con_date.root), "stale", "--al", "2026-06-10", "--mesi", "24", "--formato", "csv"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("\ufeffscheda;")  # the one CSV writer: BOM and ';' for Italian Excel
    righe = list(csv.DictReader(io.StringIO(out.removeprefix("\ufeff"), newline=""), delimiter=";"))
    assert [r["scheda"] for r in righe] == ["senza-data", "vecchia"]
    assert righe[1]["email"] == "info@vecchia.it" and righe[1]["file"] == "data/enti/ets/vecchia.yml"
    assert righe[1]["mesi"] == "26" and righe[1]["comune"] == "Crema"


def test_stale_with_nothing_to_do(con_date, capsys):
    (con_date.enti_dir / "biblioteche" / "senza-data.yml").unlink()  # always listed: no date
    assert main(["--root", str(con_date.root), "stale", "--al", "2024-03-16"]) == 0
    assert capsys.readouterr().out.strip() == "Nessuna scheda da ricontrollare: tutte verificate negli ultimi 12 mesi."


def test_new_asks_for_the_essentials_on_a_real_terminal(progetto_vuoto):
    """Through a pseudo-terminal, so that sys.stdin.isatty() is true as for a person."""
    import os
    import pty
    import select
    import subprocess
    import sys
    import time

    master, slave = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "scripts"), "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "atlante", "--root", str(progetto_vuoto.root), "new", "udo"],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        close_fds=True,
    )
    os.close(slave)
    letto = b""

    def aspetta(testo: bytes, limite=60):
        nonlocal letto
        fine = time.monotonic() + limite
        while testo not in letto:
            assert time.monotonic() < fine, letto.decode(errors="replace")
            if not select.select([master], [], [], 1)[0]:
                continue  # nothing yet: never block, so a wrong prompt fails instead of hanging
            try:
                letto += os.read(master, 4096)
            except OSError:  # child closed the terminal
                break

    for domanda, risposta in [
        (b"Nome: ", "Nido Il Girotondo"),
        (b"Comune: ", "Crema"),
        (b"invio per lasciarlo vuoto): ", "micronido"),
    ]:
        aspetta(domanda)
        os.write(master, (risposta + "\n").encode())
    assert proc.wait(timeout=60) == 0
    aspetta(b"atlante validate")
    os.close(master)
    assert "Creata la scheda data/enti/udo/nido-il-girotondo.yml" in letto.decode()
    dati = yaml.safe_load((progetto_vuoto.enti_dir / "udo" / "nido-il-girotondo.yml").read_text(encoding="utf-8"))
    assert (dati["nome"], dati["comune"], dati["tipologia"]) == ("Nido Il Girotondo", "Crema", "micronido")


def test_field_guide_follows_the_schema_and_escapes_its_text(progetto_vuoto):
    """Change the schema: the guide changes with it; schema text cannot inject HTML."""
    from atlante.lettura.progetto import Progetto
    from atlante.motore import genera as gen

    path = progetto_vuoto.schemas_dir / "ets.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    schema["properties"]["volontari"] = {
        "title": "Volontari <b>attivi</b>",
        "description": "Quanti sono | <script>alert(1)</script>",
        "type": "integer",
        "minimum": 0,
    }
    schema["required"].append("volontari")
    path.write_text(json.dumps(schema), encoding="utf-8")
    progetto = Progetto(progetto_vuoto.root)  # fresh: schemas are cached per instance
    pagine = {p.path: p for p in gen.genera(gen.contesto(progetto))}
    testo = pagine["partecipa/campi-ets.md"].contenuto
    riga = next(r for r in testo.splitlines() if r.startswith("| `volontari` |"))
    assert riga.endswith("| numero intero | **sì** |  |")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in riga and "<script>" not in testo
    assert "Quanti sono \\| " in riga  # the pipe does not split the table row
    assert "Volontari &lt;b&gt;attivi&lt;/b&gt;" in riga
