"""`atlante import` on the real public files of ../shared/realdata and on files shaped like them.

The files themselves are read at run time from ../shared (they are not copied into the
repository); the tests that need them are skipped where that folder is absent. Everything
else uses small synthetic files with clearly fake names ("Associazione Prova ...").
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import pytest
import yaml

from aiuti import ROOT, copy_project
from atlante.cli.principale import main
from atlante.importazione.importa import importa
from atlante.lettura.progetto import Progetto
from atlante.lettura.records import load_records
from atlante.modello.fonti import fonti_citate

REALI = ROOT.parent / "shared" / "realdata"
GEODATI = ROOT.parent / "shared" / "geodata" / "comuni_cremona.csv"
MAPPATURE = ROOT / "data" / "importazioni"
OGGI = dt.date(2026, 11, 23)

# Each committed mapping file and the public file it imports.
FILE_REALI = {
    "biblioteche-iccu-2017.yml": "biblioteche-iccu-2017/territorio_ambito_cremasco.csv",
    "rsa-lombardia-2013.yml": "rsa-lombardia-2013/rsa_accreditate_ambito_cremasco.csv",
    "cinque-per-mille-2022.yml": "cinque-per-mille-2022/cinque_per_mille_2022_ambito_cremasco.csv",
}
serve_shared = pytest.mark.skipif(not REALI.is_dir(), reason="../shared/realdata non presente")


def run(prog, *args) -> tuple[int, str]:
    import contextlib

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        rc = main(["--root", str(prog.root), "import", *map(str, args)])
    return rc, buf.getvalue()


def tree(root: Path) -> dict:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def progetto_reale(tmp_path_factory) -> Progetto:
    """A copy of the project with its shipped records."""
    return Progetto(copy_project(tmp_path_factory.mktemp("reale") / "p"))


# -- the real files ----------------------------------------------------------------------------


@serve_shared
@pytest.mark.parametrize("mappatura", sorted(FILE_REALI))
def test_reimporting_each_real_file_creates_nothing(progetto_reale, mappatura):
    prima = tree(progetto_reale.data_dir)
    rc, out = run(progetto_reale, REALI / FILE_REALI[mappatura], "--mappatura", MAPPATURE / mappatura, "--prova")
    assert rc == 0, out
    riepilogo = next(ln for ln in out.splitlines() if ln.startswith("Riepilogo:"))
    n = {label: int(k) for k, label in re.findall(r"(\d+) ([a-z ]+?)(?=[,;.])", riepilogo)}
    assert n["creati"] == 0 and n["aggiornati"] == 0 and n["scartati"] == 0 and n["da verificare"] == 0, out
    assert n["invariati"] > 0
    assert tree(progetto_reale.data_dir) == prima


@serve_shared
@pytest.mark.skipif(not GEODATI.is_file(), reason="../shared/geodata non presente")
def test_province_wide_iccu_file_creates_nothing_and_lists_other_comuni_as_outside(progetto_reale, tmp_path):
    """The ICCU file of the whole province: its Ambito rows are the shipped records, the others
    are counted and listed "fuori ambito" by their ISTAT code, not refused."""
    src = REALI / FILE_REALI["biblioteche-iccu-2017.yml"]
    with src.open(encoding="utf-8", newline="") as fh:
        righe = list(csv.reader(fh, delimiter=";"))
    intestazione, dati = righe[0], righe[1:]
    col = {h: i for i, h in enumerate(intestazione)}
    with GEODATI.open(encoding="utf-8", newline="") as fh:
        altri = [r for r in csv.DictReader(fh) if r["ambito"] != "Cremasco"]
    assert len(altri) > 50
    provincia = []
    for n, c in enumerate(altri):
        riga = [""] * len(intestazione)
        riga[col["codice-isil"]] = f"IT-CR9{n:03d}"
        riga[col["denominazione"]] = "Biblioteca comunale"
        riga[col["comune"]] = c["nome"]
        riga[col["codice istat comune"]] = c["istat"]
        riga[col["provincia"]] = "Cremona"
        provincia.append(riga)
    # the province's file is ordered by comune: the Ambito's rows among the others
    tutte = sorted(dati + provincia, key=lambda r: r[col["codice istat comune"]])
    out_csv = tmp_path / "territorio_provincia_cremona.csv"
    with out_csv.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, delimiter=";", quoting=csv.QUOTE_ALL).writerows([intestazione, *tutte])
    prima = tree(progetto_reale.data_dir)
    rc, out = run(
        progetto_reale,
        out_csv,
        "--mappatura",
        MAPPATURE / "biblioteche-iccu-2017.yml",
        "--prova",
        "--report",
        tmp_path / "r.csv",
    )
    assert rc == 0, out
    assert f"0 creati, 0 aggiornati, {len(dati)} invariati" in out
    assert f"{len(provincia)} fuori ambito" in out
    assert f"Fuori ambito: {len(provincia)} righe:" in out
    assert f"codice ISTAT {altri[0]['istat']}, {altri[0]['nome']} (1)" in out
    report = list(csv.DictReader((tmp_path / "r.csv").read_text(encoding="utf-8-sig").splitlines(), delimiter=";"))
    assert sorted(r["dettaglio"].split(", ", 1)[1] for r in report if r["esito"] == "fuori ambito") == sorted(
        c["nome"] for c in altri
    )
    assert tree(progetto_reale.data_dir) == prima


@serve_shared
def test_rsa_pdf_extract_becomes_nine_records_with_repaired_emails_and_two_structures_in_crema(tmp_path):
    prog = Progetto(copy_project(tmp_path / "p", with_records=False))
    rc, out = run(
        prog, REALI / FILE_REALI["rsa-lombardia-2013.yml"], "--mappatura", MAPPATURE / "rsa-lombardia-2013.yml"
    )
    assert rc == 0, out
    recs = {r.id: r.data for r in load_records(prog)}
    assert len(recs) == 9
    kennedy = recs["fondazione-benefattori-cremaschi-via-kennedy-2"]
    zurla = next(d for i, d in recs.items() if i.endswith("via-zurla-1"))
    assert kennedy["comune"] == zurla["comune"] == "Crema"
    assert kennedy["contatti"]["email"] == "kennedycr@tiscalinet.it"
    assert "ricomposto 'kennedycr@tiscalinet.it' dal testo spezzato" in out
    # a break next to a hyphen may be the PDF's hyphenation: the address is left out and listed
    pandino = next(d for d in recs.values() if d["comune"] == "Pandino")
    assert "email" not in pandino.get("contatti", {})
    assert "indirizzo spezzato in modo ambiguo, lasciato fuori (nella fonte: 'eugenio@" in out
    # a CAP of another comune: left out, listed with the source's value
    vailate = next(d for d in recs.values() if d["comune"] == "Vailate")
    assert "cap" not in vailate and "il CAP 20019 non è quello di Vailate" in out
    soncino = next(d for d in recs.values() if d["comune"] == "Soncino")
    assert soncino["contatti"]["telefono"] == ["0374 85117", "0374 85327"]
    # the broken "POSTI_LET TO_TOTAL I_ACCREDI TATI" column: accredited beds, as the list states them
    assert soncino["posti_accreditati"] == 62 and kennedy["posti_accreditati"] == 20
    assert "Colonne ignorate: ASL, FAX, POSTI_LET TO_ALZHE IMER_ACC REDITATI" in out
    for d in recs.values():
        assert d["tipologia"] == "rsa" and d["accreditata"] is True
        assert d["verificato_il"] == "2013-01-01" and "Regione Lombardia" in d["fonte"] and "IODL 2.0" in d["fonte"]
        assert d["nome"] != d["nome"].upper()


@serve_shared
def test_five_per_mille_filter_keeps_only_ets_and_names_the_rest(tmp_path):
    prog = Progetto(copy_project(tmp_path / "p", with_records=False))
    src = REALI / FILE_REALI["cinque-per-mille-2022.yml"]
    rc, out = run(prog, src, "--mappatura", MAPPATURE / "cinque-per-mille-2022.yml", "--prova")
    assert rc == 0, out
    assert "166 creati" in out and "89 esclusi dal filtro" in out
    assert "Esclusi dal filtro: 89 righe: ets_e_onlus = '' (89)" in out
    # the same filter from the command line, without the mapping file
    rc2, out2 = run(prog, src, "--tipo", "ets", "--filtro", "ets_e_onlus=X", "--prova")
    assert rc2 == 0 and "166 creati" in out2, out2


def test_every_shipped_record_names_a_known_source():
    """Each record's `fonte` is non-empty and names a source of data/fonti.yml (the list the site's
    open-data page shows with licences and attributions), and so does the source text that each
    committed mapping file writes into the records it imports."""
    progetto = Progetto(ROOT)
    for p in MAPPATURE.glob("*.yml"):
        f = yaml.safe_load(p.read_text(encoding="utf-8"))["fonte"]
        testo = ", ".join(str(f[k]) for k in ("dataset", "editore", "licenza") if f.get(k))
        assert fonti_citate(progetto, testo), f"{p.name}: fonte non riconosciuta in data/fonti.yml: {testo}"
    senza = []
    for rec in load_records(progetto):
        fonte = rec.data.get("fonte")
        if not (isinstance(fonte, str) and fonte.strip()):
            senza.append(f"{rec.display}: fonte mancante")
        elif not fonti_citate(progetto, fonte):
            senza.append(f"{rec.display}: fonte sconosciuta '{fonte}'")
    assert not senza, "\n".join(senza)
    assert len(list(MAPPATURE.glob("*.yml"))) >= 3


# -- synthetic files shaped like the real ones --------------------------------------------------


@pytest.fixture
def prog(progetto_vuoto, scrivi):
    scrivi(
        "biblioteca",
        "biblioteca-comunale-di-crema.yml",
        """
        # yaml-language-server: $schema=../../schemas/biblioteca.schema.json
        nome: Biblioteca Comunale di Crema
        comune: Crema
        tipo: biblioteca
        verificato_il: 2026-01-10
        fonte: Piano di Zona 2025-2027
        """,
    )
    return progetto_vuoto


def scrivi_csv(path: Path, righe: list[list[str]], sep: str = ";") -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, delimiter=sep).writerows(righe)
    return path


ICCU = [
    "codice-isil",
    "denominazione",
    "indirizzo",
    "cap",
    "comune",
    "codice istat comune",
    "latitudine",
    "longitudine",
]


def test_library_registry_defaults_generic_names_and_the_existing_library(prog, tmp_path):
    src = scrivi_csv(
        tmp_path / "iccu.csv",
        [
            ICCU,
            ["IT-CR0010", "Biblioteca comunale", "Via Prova 1", "26010", "Bagnolo Cremasco", "019005", "", ""],
            ["IT-CR0056", "Biblioteca comunale", "Via Prova 2", "26013", "Crema", "019035", "", ""],
            ["IT-CR0018", "Biblioteca comunale", "Via Prova 3", "26010", "Capergnanica", "019012", "", ""],
        ],
    )
    rc, out = run(prog, src, "--tipo", "biblioteche")
    assert rc == 0, out
    assert "Valori predefiniti per questo tipo: tipo = biblioteca" in out
    enti = prog.enti_dir / "biblioteche"
    assert sorted(p.name for p in enti.iterdir()) == [
        "biblioteca-comunale-bagnolo-cremasco.yml",  # the comune, never a counter
        "biblioteca-comunale-capergnanica.yml",
        "biblioteca-comunale-di-crema.yml",
    ]
    # "Biblioteca comunale" in Crema is the existing "Biblioteca Comunale di Crema"
    assert "da verificare data/enti/biblioteche/biblioteca-comunale-di-crema.yml" in out
    bagnolo = yaml.safe_load((enti / "biblioteca-comunale-bagnolo-cremasco.yml").read_text(encoding="utf-8"))
    assert bagnolo["tipo"] == "biblioteca" and bagnolo["isil"] == "IT-CR0010"
    # identity by ISIL: a renamed library is the same record
    src2 = scrivi_csv(
        tmp_path / "iccu2.csv",
        [
            ICCU,
            ["IT-CR0010", "Biblioteca Prova Rinominata", "Via Prova 1", "26010", "Bagnolo Cremasco", "019005", "", ""],
        ],
    )
    res = importa(prog, src2, "biblioteche", oggi=OGGI)
    assert [(e.categoria, e.file) for e in res.esiti] == [
        ("da_verificare", "data/enti/biblioteche/biblioteca-comunale-bagnolo-cremasco.yml")
    ]


def test_broken_headers_istat_code_and_name_disagreement(prog, tmp_path):
    src = scrivi_csv(
        tmp_path / "pdf.csv",
        [
            ["DENOMINAZIONE_STRUTTURA", "nome_comune", "codice_comune", "POSTI_LET TO_TOTAL I_ACCREDI TATI"],
            ["CENTRO PROVA ALFA", "PANDINO", "019067", "30"],
            ["CENTRO PROVA DUE", "CREMA", "019067", "10"],  # the code says Pandino
            ["CENTRO PROVA TRE", "MILANO", "015146", "10"],  # outside the Ambito by code
        ],
        sep=",",
    )
    mapp = tmp_path / "m.yml"
    mapp.write_text("tipo: udo\nvalori:\n  tipologia: cdi\n", encoding="utf-8")
    rc, out = run(prog, src, "--mappatura", mapp, "--prova")
    assert rc == 0, out
    assert "DENOMINAZIONE_STRUTTURA → nome" in out and "nome_comune → comune" in out
    assert "codice_comune → comune_istat" in out
    assert "il nome 'CREMA' non corrisponde al codice ISTAT 019067 (Pandino): usato il codice" in out
    assert "Fuori ambito: 1 righe: codice ISTAT 015146, MILANO (1)" in out
    assert "riga 2: creato data/enti/udo/centro-prova-alfa.yml (Centro Prova Alfa)" in out
    assert "riga 2: dedotto: nome: riscritto dal maiuscolo 'CENTRO PROVA ALFA'" in out


def test_a_misspelt_comune_is_still_refused_but_a_foreign_one_is_outside(prog, tmp_path):
    src = scrivi_csv(
        tmp_path / "n.csv",
        [["Denominazione", "Comune"], ["Associazione Prova Uno", "Offanenggo"], ["Associazione Prova Due", "Bergamo"]],
    )
    res = importa(prog, src, "ets", oggi=OGGI)
    assert [(e.categoria, e.riga) for e in res.esiti] == [("scartato", 2), ("fuori_ambito", 3)]
    assert "forse intendevi 'Offanengo'?" in res.esiti[0].dettaglio


def test_partial_mode_writes_valid_rows_and_refused_ones_with_problema(prog, tmp_path):
    src = scrivi_csv(
        tmp_path / "m.csv",
        [
            ["Denominazione", "Comune", "Codice fiscale", "Telefono", "Nota"],
            ["Associazione Prova Uno", "Crema", "", "0373 123456", "a"],
            ["Associazione Prova Due", "Crema", "12345678901", "", "b"],  # wrong check digit: identity
            ["", "Crema", "", "", "c"],  # no name
            ["Associazione Prova Tre", "Pandino", "", "123", "d"],  # bad phone: optional
        ],
    )
    before = tree(prog.data_dir)
    rc, out = run(prog, src, "--tipo", "ets")
    assert rc == 1 and tree(prog.data_dir) == before  # default: all or nothing
    rc, out = run(prog, src, "--tipo", "ets", "--parziale")
    assert rc == 0, out
    scritti = sorted(p.name for p in (prog.enti_dir / "ets").iterdir())
    assert scritti == ["associazione-prova-tre.yml", "associazione-prova-uno.yml"]
    tre = yaml.safe_load((prog.enti_dir / "ets" / "associazione-prova-tre.yml").read_text(encoding="utf-8"))
    assert "contatti" not in tre
    assert "riga 5: da verificare: contatti.telefono: numero non valido lasciato fuori (nella fonte: '123')" in out
    scartate = tmp_path / "m-scartate.csv"
    rows = list(csv.reader(scartate.read_text(encoding="utf-8-sig").splitlines(), delimiter=";"))
    assert rows[0] == ["Denominazione", "Comune", "Codice fiscale", "Telefono", "Nota", "problema"]
    assert [r[:5] for r in rows[1:]] == [
        ["Associazione Prova Due", "Crema", "12345678901", "", "b"],
        ["", "Crema", "", "", "c"],
    ]
    assert "cifra di controllo" in rows[1][5] and rows[2][5].startswith("nome: manca il nome")


def test_mapping_file_provenance_filters_and_unknown_keys(prog, tmp_path):
    src = scrivi_csv(
        tmp_path / "m.csv",
        [
            ["denominazione", "nome_comune", "ets_e_onlus"],
            ["ASSOCIAZIONE PROVA DEI DONATORI ODV", "CREMA", "X"],
            ["SOCIETA' COOPERATIVA SOCIALE PROVA", "CREMA", "X"],
            ["ASD PROVA", "CREMA", ""],
            ["FONDAZIONE PROVA DELLA RSA ONLU", "CREMA", "X"],
        ],
        sep=",",
    )
    mapp = tmp_path / "m.yml"
    mapp.write_text(
        "tipo: ets\nfiltri:\n  ets_e_onlus: X\n"
        "fonte:\n  dataset: Elenco di prova\n  editore: Ente di prova\n  data: 2022-05-01\n  licenza: CC BY 4.0\n",
        encoding="utf-8",
    )
    rc, out = run(prog, src, "--mappatura", mapp)
    assert rc == 0, out
    recs = {r.id: r.data for r in load_records(prog) if r.tipo.id == "ets"}
    odv = recs["associazione-prova-dei-donatori-odv"]
    assert odv["nome"] == "Associazione Prova dei Donatori ODV"
    assert odv["forma_giuridica"] == "associazione" and "forma_giuridica: 'associazione' dedotta dal nome" in out
    assert odv["verificato_il"] == "2022-05-01"
    assert odv["fonte"] == "Elenco di prova, Ente di prova, dati al 01/05/2022, licenza CC BY 4.0"
    assert "temi" not in odv  # themes are never guessed
    coop = recs["societa-cooperativa-sociale-prova"]
    assert coop["nome"] == "Società Cooperativa Sociale Prova" and coop["forma_giuridica"] == "cooperativa_sociale"
    assert "Esclusi dal filtro: 1 righe: ets_e_onlus = '' (1)" in out
    assert "nome: forse troncato dalla fonte, lasciato com'è ('FONDAZIONE PROVA DELLA RSA ONLU')" in out
    bad = tmp_path / "bad.yml"
    bad.write_text("tipo: ets\nfiltro: {a: b}\n", encoding="utf-8")
    assert run(prog, src, "--mappatura", bad)[0] == 2
    rc, _ = run(prog, src, "--tipo", "ets", "--filtro", "colonna_assente=X")
    assert rc == 2


@pytest.mark.parametrize(
    "cella, atteso",
    [
        ("kennedy\n@prova-uno.example .org", "kennedy@prova-uno.example.org"),
        ("info@pro va.example.org", "info@prova.example.org"),
        ("info@prova- uno.example.org", None),  # hyphen at a break: ambiguous
    ],
)
def test_email_broken_by_pdf_extraction(prog, tmp_path, cella, atteso):
    src = scrivi_csv(tmp_path / "e.csv", [["Denominazione", "Comune", "Email"], ["Associazione Prova", "Crema", cella]])
    importa(prog, src, "ets", oggi=OGGI)
    d = yaml.safe_load((prog.enti_dir / "ets" / "associazione-prova.yml").read_text(encoding="utf-8"))
    assert d.get("contatti", {}).get("email") == atteso


@pytest.mark.parametrize(
    "maiuscolo, atteso",
    [
        (
            "AVIS COMUNALE DOVERA ASSOCIAZIONE VOLONTARI ITALIANI DEL SANGUE",
            "AVIS Comunale Dovera Associazione Volontari Italiani del Sangue",
        ),
        ("ASSOCIAZIONE ANFFAS CREMA APS - ETS", "Associazione ANFFAS Crema APS - ETS"),
        ("CIRCOLO ACLI DELL'AMICIZIA", "Circolo ACLI dell'Amicizia"),
        ("PROVA CITTA' D'ARTE ONLUS", "Prova Città d'Arte ONLUS"),
        ('A.S.P. "PROVA E PROVA"', 'A.S.P. "Prova e Prova"'),
        ("L'ALBERO DI PROVA ODV", "L'Albero di Prova ODV"),
    ],
)
def test_italian_title_case(maiuscolo, atteso):
    from atlante.importazione.nomi import titolo_italiano

    assert titolo_italiano(maiuscolo) == atteso


def test_two_structures_of_one_body_in_one_comune_are_two_records(prog, tmp_path):
    src = scrivi_csv(
        tmp_path / "rsa.csv",
        [
            ["DENOMINAZIONE_STRUTTURA", "COMUNE", "INDIRIZZO"],
            ["FONDAZIONE PROVA", "CREMA", "VIA PROVA, 2"],
            ["FONDAZIONE\nPROVA ONLUS", "CREMA", "VIA ALTRA PROVA, 1"],
        ],
        sep=",",
    )
    mapp = tmp_path / "m.yml"
    mapp.write_text("tipo: udo\nvalori: {tipologia: rsa}\n", encoding="utf-8")
    rc, out = run(prog, src, "--mappatura", mapp)
    assert rc == 0, out
    assert sorted(p.name for p in (prog.enti_dir / "udo").iterdir()) == [
        "fondazione-prova-onlus-via-altra-prova-1.yml",
        "fondazione-prova-via-prova-2.yml",
    ]
    # and a re-import recognises each by its address
    rc, out = run(prog, src, "--mappatura", mapp, "--prova")
    assert "0 creati, 0 aggiornati, 2 invariati" in out, out


def test_field_types_come_from_the_schema(prog):
    from atlante.importazione.righe import schema_campi, tipo_valore
    from atlante.lettura.progetto import TIPI
    from atlante.modello.campi import schema_tipo

    tipi = {k: tipo_valore(s) for k, s in schema_campi(schema_tipo(prog, TIPI["udo"])).items()}
    assert tipi["posti"] == "intero" and tipi["accreditata"] == "booleano" and tipi["tipologia"] == "scelta"
    assert tipi["verificato_il"] == "data" and tipi["cap"] == "cap" and tipi["contatti.sito_web"] == "url"
    assert tipi["posizione.lat"] == "numero" and tipi["temi"] == "scelte"
    # a field added to a schema is importable without touching the importer
    schema = prog.schemas["udo.schema.json"]
    schema["properties"]["posti_prova"] = {"type": "integer", "title": "Posti di prova"}
    tipi = {k: tipo_valore(s) for k, s in schema_campi(schema_tipo(prog, TIPI["udo"])).items()}
    assert tipi["posti_prova"] == "intero"


def test_terminal_output_neutralises_control_characters_from_cells(prog, tmp_path):
    src = scrivi_csv(
        tmp_path / "x.csv", [["Denominazione", "Comune"], ["Associazione Prova \x1b[2J\x1b]0;titolo\x07", "Crema"]]
    )
    rc, out = run(prog, src, "--tipo", "ets", "--prova")
    assert "\x1b" not in out and "\x07" not in out and "\r" not in out
    assert "\\x1b[2J" in out
