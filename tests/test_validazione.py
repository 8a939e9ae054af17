"""Each check of `atlante validate`: bad input in, exact message, line and exit code out."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from atlante.cli.principale import main
from atlante.validazione.controlli import validate

OK_ETS = """
# yaml-language-server: $schema=../../schemas/ets.schema.json
nome: Associazione di prova
comune: Crema
verificato_il: 2026-01-15
"""


def problems_of(progetto, path):
    return [p for p in validate(progetto) if p.path.endswith(path.name)]


def run_cli(progetto, *args, capsys):
    rc = main(["--root", str(progetto.root), "validate", *args])
    return rc, capsys.readouterr().out


def test_shipped_data_is_valid(capsys):
    rc = main(["validate"])
    out = capsys.readouterr().out
    assert rc == 0, out
    # records from dated public sources are due for re-checking: one summary line, nothing else
    lines = [ln for ln in out.splitlines() if not ln.endswith("schede da riverificare: atlante stale")]
    assert len(lines) == 1 and (lines[0].startswith("0 errori, ") or lines[0] == "Tutte le schede sono valide."), out


def test_valid_record_has_no_problems(progetto_vuoto, scrivi, capsys):
    scrivi("ets", "associazione-di-prova.yml", OK_ETS)
    rc, out = run_cli(progetto_vuoto, capsys=capsys)
    assert rc == 0
    assert out.strip() == "Tutte le schede sono valide."


# (case id, kind, file name, yaml, expected (line, campo, substring of message))
CASES = [
    (
        "yaml_syntax",
        "ets",
        "a.yml",
        "nome: Prova\ncomune: [Crema\nverificato_il: 2026-01-01\n",
        (3, "(file)", "sintassi YAML non valida"),
    ),
    ("tab_indent", "ets", "a.yml", "nome: Prova\ncontatti:\n\temail: a@b.it\n", (3, "(file)", "tabulazione")),
    (
        "duplicate_key",
        "ets",
        "a.yml",
        "nome: Prova uno\ncomune: Crema\nnome: Prova due\nverificato_il: 2026-01-01\n",
        (3, "nome", "chiave ripetuta: 'nome' compare già alla riga 1"),
    ),
    ("empty_file", "ets", "a.yml", "# solo un commento\n", (1, "(file)", "il file è vuoto")),
    ("not_mapping", "ets", "a.yml", "- nome: Prova\n", (1, "(file)", "deve essere un elenco di campi")),
    (
        "alias_bomb",
        "ets",
        "a.yml",
        "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b]\n"
        "d: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n",
        (2, "(file)", "alias"),
    ),
    ("yes_no", "ets", "a.yml", OK_ETS + "runts:\n  iscritto: yes\n", (6, "runts.iscritto", "'yes' è ambiguo")),
    ("file_name", "ets", "Associazione Prova.yml", OK_ETS, (1, "(file)", "nome del file non valido")),
    ("yaml_extension", "ets", "prova.yaml", OK_ETS, (1, "(file)", "l'estensione deve essere .yml")),
    ("required", "ets", "a.yml", "nome: Prova\ncomune: Crema\n", (1, "verificato_il", "campo obbligatorio mancante")),
    ("unknown_field", "ets", "a.yml", OK_ETS + "telefno: '0373 1'\n", (5, "telefno", "campo sconosciuto 'telefno'")),
    (
        "wrong_type",
        "udo",
        "a.yml",
        "nome: Nido\ncomune: Crema\ntipologia: asilo_nido\nposti: dieci\nverificato_il: 2026-01-01\n",
        (4, "posti", "tipo sbagliato: deve essere un numero intero, invece è un testo"),
    ),
    (
        "enum",
        "udo",
        "a.yml",
        "nome: Nido\ncomune: Crema\ntipologia: asilo_nid\nverificato_il: 2026-01-01\n",
        (3, "tipologia", "valore non ammesso 'asilo_nid'"),
    ),
    ("unknown_comune", "ets", "a.yml", OK_ETS.replace("Crema", "Crmea"), (3, "comune", "comune sconosciuto 'Crmea'")),
    (
        "position_outside",
        "ets",
        "a.yml",
        OK_ETS + "posizione: {lat: 45.133, lon: 10.024}\n",
        (5, "posizione", "la posizione cade fuori dall'Ambito"),
    ),
    (
        "position_other_comune",
        "ets",
        "a.yml",
        OK_ETS + "posizione: {lat: 45.404409, lon: 9.855604}\n",
        (5, "posizione", "la posizione cade nel comune di Soncino"),
    ),
    (
        "position_swapped",
        "ets",
        "a.yml",
        OK_ETS + "posizione: {lat: 9.6853, lon: 45.3627}\n",
        (5, "posizione", "latitudine e longitudine sembrano scambiate"),
    ),
    ("cap_wrong_comune", "ets", "a.yml", OK_ETS + "cap: '26029'\n", (5, "cap", "il CAP 26029 non è quello di Crema")),
    ("cap_number", "ets", "a.yml", OK_ETS + "cap: 260130\n", (5, "cap", "tipo sbagliato")),
    (
        "codice_fiscale",
        "ets",
        "a.yml",
        OK_ETS + "codice_fiscale: '12345678901'\n",
        (5, "codice_fiscale", "cifra di controllo errata"),
    ),
    (
        "isil",
        "biblioteca",
        "a.yml",
        "nome: Biblioteca\ncomune: Crema\ntipo: biblioteca\nisil: CR-0001\nverificato_il: 2026-01-01\n",
        (4, "isil", "codice ISIL non valido"),
    ),
    (
        "email",
        "ets",
        "a.yml",
        OK_ETS + "contatti:\n  email: info(at)prova.it\n",
        (6, "contatti.email", "indirizzo email non valido"),
    ),
    (
        "phone",
        "ets",
        "a.yml",
        OK_ETS + "contatti:\n  telefono: ['0373 218711', '12']\n",
        (6, "contatti.telefono[2]", "numero di telefono non valido '12'"),
    ),
    (
        "url_javascript",
        "ets",
        "a.yml",
        OK_ETS + "contatti:\n  sito_web: 'javascript:alert(1)'\n",
        (6, "contatti.sito_web", "indirizzo web non valido 'javascript:alert(1)'"),
    ),
    (
        "url_data",
        "patto",
        "a.yml",
        "nome: Patto\ncomuni: [Crema]\nverificato_il: 2026-01-01\ndocumenti:\n  - titolo: x\n    url: 'data:text/html,<b>'\n",
        (6, "documenti[1].url", "indirizzo web non valido"),
    ),
    (
        "orari",
        "ets",
        "a.yml",
        OK_ETS + "orari: lunedì 9-12\n",
        (5, "orari", "orario non nella sintassi di OpenStreetMap"),
    ),
    (
        "html_script",
        "ets",
        "a.yml",
        OK_ETS + "descrizione: \"Ciao <script>alert('x')</script>\"\n",
        (5, "descrizione", "HTML non ammesso"),
    ),
    (
        "html_in_list",
        "ets",
        "a.yml",
        OK_ETS + "attivita:\n  - '<img src=x onerror=alert(1)>'\n",
        (6, "attivita[1]", "HTML non ammesso"),
    ),
    (
        "markdown_js_link",
        "ets",
        "a.yml",
        OK_ETS + "descrizione: '[clicca](javascript:alert(1))'\n",
        (5, "descrizione", "collegamento non ammesso"),
    ),
    (
        "future_date",
        "ets",
        "a.yml",
        OK_ETS.replace("2026-01-15", "2099-01-01"),
        (4, "verificato_il", "data nel futuro"),
    ),
    (
        "impossible_date",
        "ets",
        "a.yml",
        OK_ETS.replace("2026-01-15", "2025-02-30"),
        (4, "verificato_il", "data non valida '2025-02-30'"),
    ),
    (
        "periodo",
        "patto",
        "a.yml",
        "nome: Patto\ncomuni: [Crema]\nverificato_il: 2026-01-01\nperiodo:\n  inizio: 2025-05-01\n  fine: 2025-01-01\n",
        (6, "periodo.fine", "la fine (2025-01-01) è prima dell'inizio (2025-05-01)"),
    ),
    (
        "reference",
        "udo",
        "a.yml",
        "nome: Nido\ncomune: Crema\ntipologia: asilo_nido\nente_gestore: coop-inesistente\nverificato_il: 2026-01-01\n",
        (4, "ente_gestore", "nessuna scheda con id 'coop-inesistente'"),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_reported(progetto_vuoto, scrivi, case, capsys):
    _, tipo, name, text, (line, campo, fragment) = case
    path = scrivi(tipo, name, text)
    before = path.read_bytes()
    rc, out = run_cli(progetto_vuoto, capsys=capsys)
    assert rc == 1, out
    expected_prefix = f"data/enti/{path.parent.name}/{name}:{line}:"
    matching = [
        ln for ln in out.splitlines() if ln.startswith(expected_prefix) and f": {campo}: " in ln and fragment in ln
    ]
    assert matching, f"expected {expected_prefix} {campo}: ...{fragment}... in:\n{out}"
    assert path.read_bytes() == before  # never rewrites a contributor's file


def test_not_utf8(progetto_vuoto, scrivi, capsys):
    scrivi("ets", "a.yml", "", raw="nome: Società\ncomune: Crema\n".encode("cp1252"))
    rc, out = run_cli(progetto_vuoto, capsys=capsys)
    assert rc == 1
    assert "data/enti/ets/a.yml:1:1: (file): il file non è in codifica UTF-8" in out


def test_alias_bomb_is_fast(progetto_vuoto, scrivi):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
    scrivi("ets", "bomba.yml", "\n".join(lines) + "\n")
    start = time.perf_counter()
    problems = validate(progetto_vuoto)
    assert time.perf_counter() - start < 5  # 10**10 nodes if expanded
    assert any("alias" in p.messaggio for p in problems)


def test_suggestion_for_near_miss_comune(progetto_vuoto, scrivi):
    scrivi("ets", "a.yml", OK_ETS.replace("Crema", "Castellone"))
    [p] = [p for p in validate(progetto_vuoto) if p.campo == "comune"]
    assert p.suggerimento == "forse intendevi 'Castelleone'?"


def test_aliases_and_case_accepted(progetto_vuoto, scrivi):
    for i, name in enumerate(["Casale Cremasco", "RIVOLTA D’ADDA", "credera-rubbiano", "Gomito"]):
        scrivi("ets", f"a{i}.yml", OK_ETS.replace("Crema", name).replace("di prova", f"numero {i}"))
    assert [p for p in validate(progetto_vuoto) if p.is_error] == []


def test_position_at_border_is_tolerated(progetto_vuoto, scrivi):
    # Interior point of Crema moved to just past its bbox edge would be far; use a point ~80 m outside
    terr = progetto_vuoto.territorio
    crema = terr.trova("Crema")
    geom = terr._shapes[crema.istat]
    x, y = geom.exterior.coords[0] if hasattr(geom, "exterior") else geom.geoms[0].exterior.coords[0]
    lat = y / 111_132.0
    lon = x / (111_132.0 * terr._coslat)
    # step 80 m north of a boundary vertex, outside or inside: either way within tolerance
    scrivi("ets", "a.yml", OK_ETS + f"posizione: {{lat: {lat + 80 / 111_132.0:.6f}, lon: {lon:.6f}}}\n")
    assert [p for p in validate(progetto_vuoto) if p.campo == "posizione"] == []


def test_duplicates_name_both_files(progetto_vuoto, scrivi):
    scrivi("ets", "uno.yml", OK_ETS)
    scrivi("ets", "due.yml", OK_ETS.replace("Associazione di prova", "ASSOCIAZIONE DI PROVA"))
    dup = [p for p in validate(progetto_vuoto) if "duplicato" in p.messaggio]
    assert {p.path.rsplit("/", 1)[1] for p in dup} == {"uno.yml", "due.yml"}
    assert any("due.yml" in p.messaggio for p in dup if p.path.endswith("uno.yml"))


def test_duplicate_codice_fiscale(progetto_vuoto, scrivi):
    cf = "codice_fiscale: '91035680197'\n"
    scrivi("ets", "uno.yml", OK_ETS + cf)
    scrivi("ets", "due.yml", OK_ETS.replace("di prova", "altra") + cf)
    dup = [p for p in validate(progetto_vuoto) if "stesso codice fiscale" in p.messaggio]
    assert len(dup) == 2 and all(p.line == 5 for p in dup)


def test_stale_record_is_a_warning(progetto_vuoto, scrivi, capsys):
    scrivi("ets", "a.yml", OK_ETS.replace("2026-01-15", "2020-01-15"))
    rc, out = run_cli(progetto_vuoto, capsys=capsys)
    assert rc == 0
    assert "verificato_il: avviso: informazioni verificate più di 24 mesi fa" not in out
    assert "1 schede da riverificare: atlante stale" in out
    assert main(["--root", str(progetto_vuoto.root), "validate", "--strict"]) == 1


def test_many_stale_records_are_one_line_that_does_not_bury_a_real_error(progetto_vuoto, scrivi, capsys, tmp_path):
    for i in range(30):
        scrivi(
            "ets", f"vecchia-{i}.yml", OK_ETS.replace("di prova", f"vecchia {i}").replace("2026-01-15", "2020-01-15")
        )
    scrivi("ets", "errata.yml", OK_ETS.replace("di prova", "errata") + "cap: '1'\n")
    rc, out = run_cli(progetto_vuoto, capsys=capsys)
    lines = out.strip().splitlines()
    assert rc == 1
    assert [ln for ln in lines if "errata.yml" in ln and ": cap:" in ln]
    assert "30 schede da riverificare: atlante stale" in lines
    assert not [ln for ln in lines if "vecchia-" in ln]
    # GitHub format: annotations only for the listed (changed) files, the others as plain lines
    elenco = tmp_path / "cambiati.txt"
    elenco.write_text("data/enti/ets/errata.yml\n", encoding="utf-8")
    rc = main(["--root", str(progetto_vuoto.root), "validate", "--format", "github", "--annota", str(elenco)])
    gh = capsys.readouterr().out.splitlines()
    assert rc == 1
    assert [ln for ln in gh if ln.startswith("::error file=data/enti/ets/errata.yml,")]
    assert "::notice title=Atlante::30 schede da riverificare: atlante stale" in gh
    assert not [ln for ln in gh if ln.startswith("::warning")]


def test_all_problems_reported_in_one_run(progetto_vuoto, scrivi):
    scrivi("ets", "a.yml", OK_ETS.replace("Crema", "Crmea") + "cap: '1'\ntelefno: x\n")
    scrivi("udo", "b.yml", "nome: Nido\ncomune: Crema\ntipologia: nido\nverificato_il: 2026-01-01\n")
    problems = validate(progetto_vuoto)
    assert {(p.path.rsplit("/", 1)[1], p.campo) for p in problems} == {
        ("a.yml", "comune"),
        ("a.yml", "cap"),
        ("a.yml", "telefno"),
        ("b.yml", "tipologia"),
    }


def test_formats_github_and_json(progetto_vuoto, scrivi, capsys):
    scrivi("ets", "a.yml", OK_ETS.replace("Crema", "Crmea"))
    rc, out = run_cli(progetto_vuoto, "--format", "github", capsys=capsys)
    assert rc == 1
    assert out.startswith(
        "::error file=data/enti/ets/a.yml,line=3,col=9,title=Atlante%3A comune::comune: comune sconosciuto"
    )
    rc, out = run_cli(progetto_vuoto, "--format", "json", capsys=capsys)
    [item] = json.loads(out)
    assert item["path"] == "data/enti/ets/a.yml" and item["line"] == 3 and item["livello"] == "errore"


def test_only_given_paths_are_reported(progetto_vuoto, scrivi, capsys):
    scrivi("ets", "buona.yml", OK_ETS)
    bad = scrivi("ets", "cattiva.yml", OK_ETS.replace("Crema", "Crmea").replace("di prova", "altra"))
    good = progetto_vuoto.enti_dir / "ets" / "buona.yml"
    assert run_cli(progetto_vuoto, str(good), capsys=capsys)[0] == 0
    rc, out = run_cli(progetto_vuoto, str(bad), capsys=capsys)
    assert rc == 1 and "cattiva.yml:3" in out


def test_bad_invocation_exits_2(progetto_vuoto, capsys):
    assert run_cli(progetto_vuoto, "no/such/file.yml", capsys=capsys)[0] == 2
    assert main(["--root", "/nonexistent-dir", "validate"]) == 2
    with pytest.raises(SystemExit) as exc:
        main(["validate", "--format", "xml"])
    assert exc.value.code == 2


def test_console_script_runs_from_subdirectory():
    from aiuti import ROOT

    res = subprocess.run(
        [sys.executable, "-m", "atlante", "validate"],
        cwd=ROOT / "data" / "enti",
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT / "scripts"), "PATH": "/usr/bin:/bin"},
    )
    assert res.returncode == 0, res.stdout + res.stderr


def test_reference_data_checked(progetto_vuoto):
    amb = progetto_vuoto.data_dir / "territorio" / "ambito.yml"
    amb.write_text(amb.read_text(encoding="utf-8").replace("[Crema]", "[]"), encoding="utf-8")
    problems = validate(progetto_vuoto)
    assert any(
        p.path == "data/territorio/ambito.yml" and "Crema non appartiene a nessun sub-ambito" in p.messaggio
        for p in problems
    )


def test_records_carry_schema_line():
    from aiuti import ROOT

    for f in (ROOT / "data" / "enti").glob("*/*.yml"):
        first = f.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema=../../schemas/"), f
        assert (f.parent / first.split("=", 1)[1]).resolve().is_file(), f


def test_parallel_validation_matches_serial(progetto_vuoto, scrivi, monkeypatch):
    import atlante.validazione.controlli as v

    for i in range(6):
        scrivi("ets", f"e{i}.yml", OK_ETS.replace("di prova", f"n{i}").replace("Crema", "Crmea" if i % 2 else "Crema"))
    serial = validate(progetto_vuoto)
    monkeypatch.setattr(v, "_PARALLEL_MIN_FILES", 2)
    assert validate(progetto_vuoto) == serial
    assert len([p for p in serial if p.campo == "comune"]) == 3


def test_written_record_reads_back_as_its_data(tmp_path):
    """doc_scritto skips parsing the text it writes: it must give what read_yaml gives for it."""
    import datetime as dt

    from atlante.lettura.yamlfile import doc_scritto, read_yaml

    tricky = [
        "yes",
        "No",
        "on",
        "y",
        "n",
        "null",
        "~",
        "true",
        "2024-01-01",
        "2024-02-30",
        "0373",
        "12:30",
        "1e3",
        ".inf",
        "0x1F",
        "0o17",
        "+1",
        "1_000",
        "&ancora",
        "*alias",
        "# non commento",
        "a: b",
        "- x",
        "",
        " a",
        "b ",
        "'apice",
        '"virgolette',
        "tab\there",
        "a capo\nqui",
        "Università ‘ü’ €",
        "x" * 250,
        "<<",
        "!tag",
        "%YAML",
        "@",
        "`",
        "a #b",
        "{a: 1}",
        "[1]",
        "---",
        "...",
        "\u00a0",
        "\x85",
    ]
    data = {
        "nome": "Associazione Prova",
        "verificato_il": dt.date(2026, 11, 23),
        "posti": 12,
        "importo": 1.5,
        "grande": 1e20,
        "zero": -0.0,
        "si": True,
        "no": False,
        "niente": None,
        "vuoto": [],
        "gruppo": {},
        "contatti": {"telefono": ["0373 123456", "333 123 4567"], "email": "a@example.org"},
        "testi": tricky,
        "annidato": {"x": [{"y": tricky}]},
    }
    # plain data takes the fast path (no positions); a datetime or a NaN is parsed as usual
    for d, parsed in (
        (data, False),
        ({}, False),
        ({"nome": "x", "quando": dt.datetime(2026, 1, 1, 12, 0)}, True),
        ({"nome": "x", "n": float("nan")}, True),
    ):
        doc = doc_scritto(tmp_path / "a.yml", "a.yml", d, "# yaml-language-server: $schema=x")
        letto = read_yaml(tmp_path / "a.yml", "a.yml", doc.text)
        assert doc.text.startswith("# yaml-language-server: $schema=x\n")
        assert repr(doc.data) == repr(letto.data) and doc.problems == letto.problems == [], doc.text
        assert bool(doc.positions) is parsed
