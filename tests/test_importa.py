"""`atlante import`: fixtures shaped like real exports, all-or-nothing, no duplicates, idempotence.

Organisation names here are synthetic and clearly fake ("Associazione Prova ...").
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
import yaml

from atlante.cli.principale import main
from atlante.importazione.importa import importa
from atlante.lettura.records import SCHEMA_LINE

OGGI = dt.date(2026, 11, 23)
HEADER = "Denominazione;Comune;Indirizzo;CAP;Telefono;Cellulare;E-mail;Sito web;Codice fiscale;Sezione RUNTS;N. repertorio;Note interne"

EXISTING = """\
# yaml-language-server: $schema=../../schemas/ets.schema.json
# Scheda curata dall'Ufficio di Piano: non cancellare questo commento.
nome: Associazione Prova Esistente
comune: Crema  # sede legale
contatti:
  telefono: 0373 111111
  email: esistente@example.org
temi: [volontariato]
verificato_il: 2026-01-10
fonte: autodichiarazione
"""


def tree(root: Path) -> dict:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def scrivi_csv(path: Path, righe: list[str]) -> Path:
    # as Italian Excel saves "CSV (delimitato dal separatore di elenco)": cp1252, ';', no BOM
    path.write_bytes(("\r\n".join([HEADER, *righe]) + "\r\n").encode("cp1252"))
    return path


@pytest.fixture
def prog(progetto_vuoto, scrivi):
    scrivi("ets", "associazione-prova-esistente.yml", EXISTING)
    return progetto_vuoto


def run(prog, *args) -> tuple[int, str]:
    import contextlib
    import io

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        rc = main(["--root", str(prog.root), "import", *map(str, args)])
    return rc, buf.getvalue()


def test_cp1252_semicolon_export_creates_clean_records(prog, tmp_path):
    src = scrivi_csv(
        tmp_path / "mappatura.csv",
        [
            "Associazione Prova Università;crema;Via Roma 1;26013;0373/123456;333 1234567;"
            "INFO@Prova-Uno.example.org;www.prova-uno.example.org;;Organizzazioni di volontariato;12345;riservato",
            "Associazione Prova Due;Casale Cremasco;;;;;;;;APS;;",
        ],
    )
    res = importa(prog, src, "ets", oggi=OGGI)
    assert [(e.categoria, e.riga) for e in res.esiti] == [("creato", 2), ("creato", 3)]
    assert [h for _i, h, _f in res.colonne.usate][:3] == ["Denominazione", "Comune", "Indirizzo"]
    assert res.colonne.ignorate == ["Note interne"]
    path = prog.enti_dir / "ets" / "associazione-prova-universita.yml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith(SCHEMA_LINE.format(schema="ets.schema.json") + "\n")
    d = yaml.safe_load(text)
    assert d["nome"] == "Associazione Prova Università"
    assert d["comune"] == "Crema"
    assert d["contatti"] == {
        "telefono": ["0373 123456", "333 123 4567"],
        "email": "info@prova-uno.example.org",
        "sito_web": "https://www.prova-uno.example.org",
    }
    assert d["runts"] == {"iscritto": True, "sezione": "odv", "numero_repertorio": "12345"}
    assert d["verificato_il"] == OGGI and d["fonte"] == "mappatura.csv"
    due = yaml.safe_load((prog.enti_dir / "ets" / "associazione-prova-due.yml").read_text(encoding="utf-8"))
    assert due["comune"] == "Casale Cremasco-Vidolasco" and due["runts"]["sezione"] == "aps"
    # field order follows the schema
    assert list(d)[:4] == ["nome", "comune", "indirizzo", "cap"]


def test_second_import_changes_nothing(prog, tmp_path):
    src = scrivi_csv(tmp_path / "m.csv", ["Associazione Prova Uno;Crema;;;0373 123456;;;;;;;"])
    assert importa(prog, src, "ets", oggi=OGGI).conta("creato") == 1
    before = tree(prog.data_dir)
    res = importa(prog, src, "ets", aggiorna=True, oggi=OGGI + dt.timedelta(days=30))
    assert [e.categoria for e in res.esiti] == ["invariato"]
    assert tree(prog.data_dir) == before


def test_duplicate_row_updates_only_changed_fields_and_keeps_comments(prog, tmp_path):
    src = scrivi_csv(
        tmp_path / "m.csv", ["ASSOCIAZIONE PROVA ESISTENTE ODV;Crema;;;0373 222222;;esistente@example.org;;;;;"]
    )
    path = prog.enti_dir / "ets" / "associazione-prova-esistente.yml"
    # without --aggiorna: reported, file untouched
    res = importa(prog, src, "ets", oggi=OGGI)
    assert [(e.categoria, e.file) for e in res.esiti] == [
        ("da_verificare", "data/enti/ets/associazione-prova-esistente.yml")
    ]
    assert "contatti.telefono" in res.esiti[0].dettaglio and "--aggiorna" in res.esiti[0].dettaglio
    assert path.read_text(encoding="utf-8") == EXISTING
    res = importa(prog, src, "ets", aggiorna=True, oggi=OGGI)
    assert [e.categoria for e in res.esiti] == ["aggiornato"]
    after = path.read_text(encoding="utf-8")
    old_lines, new_lines = EXISTING.splitlines(), after.splitlines()
    changed = [(a, b) for a, b in zip(old_lines, new_lines) if a != b]
    assert len(old_lines) == len(new_lines)
    assert changed == [
        ("  telefono: 0373 111111", "  telefono: 0373 222222"),
        ("verificato_il: 2026-01-10", "verificato_il: 2026-11-23"),
        ("fonte: autodichiarazione", "fonte: autodichiarazione; m.csv"),  # where the new phone comes from
    ]
    assert "# Scheda curata dall'Ufficio di Piano" in after and "# sede legale" in after
    assert not any(p.name.startswith("associazione-prova-esistente-") for p in path.parent.iterdir())


def test_near_duplicate_is_reported_not_merged(prog, tmp_path):
    src = scrivi_csv(tmp_path / "m.csv", ["Associazione Prova Esistenti;Crema;;;;;;;;;;"])
    before = tree(prog.data_dir)
    res = importa(prog, src, "ets", oggi=OGGI)
    assert [e.categoria for e in res.esiti] == ["da_verificare"]
    assert "nome simile a 'Associazione Prova Esistente'" in res.esiti[0].dettaglio
    assert tree(prog.data_dir) == before
    # the same name in another comune is another body
    src2 = scrivi_csv(tmp_path / "m2.csv", ["Associazione Prova Esistenti;Pandino;;;;;;;;;;"])
    assert [e.categoria for e in importa(prog, src2, "ets", oggi=OGGI).esiti] == ["creato"]


def test_unknown_comune_is_rejected_with_suggestion_and_nothing_written(prog, tmp_path):
    src = scrivi_csv(
        tmp_path / "m.csv", ["Associazione Prova Uno;Crema;;;;;;;;;;", "Associazione Prova Due;Offanenggo;;;;;;;;;;"]
    )
    before = tree(prog.data_dir)
    rc, out = run(prog, src, "--tipo", "ets")
    assert rc == 1
    assert "m.csv:riga 3: scartato (Associazione Prova Due): comune: comune sconosciuto 'Offanenggo'" in out
    assert "forse intendevi 'Offanengo'?" in out
    assert "Nessun file scritto" in out
    assert tree(prog.data_dir) == before


def test_failing_validation_writes_nothing_and_names_the_row(prog, tmp_path):
    src = scrivi_csv(
        tmp_path / "m.csv",
        ["Associazione Prova Uno;Crema;;;;;;;;;;", "Associazione Prova Due;Crema;;99999;;;;;12345678901;;;"],
    )
    before = tree(prog.data_dir)
    rc, out = run(prog, src, "--tipo", "ets", "--report", tmp_path / "r.csv")
    assert rc == 1
    assert "m.csv:riga 3: codice_fiscale: codice fiscale/partita IVA di 11 cifre con cifra di controllo errata" in out
    # a wrong optional value does not refuse the row: it is left out and listed with the source's value
    assert "m.csv:riga 3: cap:" not in out
    assert (
        "m.csv:riga 3: da verificare: cap: il CAP 99999 non è quello di Crema: lasciato fuori (nella fonte: '99999')"
        in out
    )
    assert tree(prog.data_dir) == before
    rows = list(csv.reader((tmp_path / "r.csv").read_text(encoding="utf-8-sig").splitlines(), delimiter=";"))
    assert rows[0] == ["esito", "riga", "nome", "file", "dettaglio", "da verificare", "dedotto"]
    assert [r[:3] for r in rows[1:]] == [
        ["creato", "2", "Associazione Prova Uno"],
        ["scartato", "3", "Associazione Prova Due"],
    ]


def test_prova_writes_nothing(prog, tmp_path):
    src = scrivi_csv(tmp_path / "m.csv", ["Associazione Prova Uno;Crema;;;;;;;;;;"])
    before = tree(prog.data_dir)
    rc, out = run(prog, src, "--tipo", "ets", "--prova")
    assert rc == 0 and "creato data/enti/ets/associazione-prova-uno.yml" in out and "Prova: nessun file scritto" in out
    assert tree(prog.data_dir) == before


def test_name_collision_and_in_file_duplicate(prog, tmp_path, scrivi):
    scrivi(
        "udo",
        "associazione-prova-uno.yml",
        """
        # yaml-language-server: $schema=../../schemas/udo.schema.json
        nome: Associazione Prova Uno
        comune: Crema
        tipologia: cag
        verificato_il: 2026-01-10
        """,
    )
    src = scrivi_csv(
        tmp_path / "m.csv", ["Associazione Prova Uno;Crema;;;;;;;;;;", "Associazione Prova Uno;Crema;;;;;;;;;;"]
    )
    res = importa(prog, src, "ets", oggi=OGGI)
    assert [(e.categoria, e.file) for e in res.esiti] == [
        ("creato", "data/enti/ets/associazione-prova-uno-crema.yml"),  # its comune, never a counter
        ("da_verificare", ""),
    ]
    assert res.esiti[1].dettaglio.startswith("stesso ente della riga 2")


def test_xlsx_with_merged_title_rows(prog, tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "Mappatura Unità di Offerta - Ambito di prova"
    ws.merge_cells("A1:F1")
    ws["A2"] = "aggiornata al 30/09/2026"
    ws.merge_cells("A2:F2")
    ws.append(
        ["Denominazione struttura", "Tipologia", "Comune", "Posti autorizzati", "Accreditata", "Data aggiornamento"]
    )
    ws.append(["Centro Prova Uno", "CAG", "Crema", 30, "Sì", dt.datetime(2026, 9, 30)])
    ws.append(["Nido Prova Due", "Asilo nido", "Pandino", 24.0, "no", "30/09/2026"])
    src = tmp_path / "udo.xlsx"
    wb.save(src)
    mapp = tmp_path / "map.yml"
    mapp.write_text("colonne:\n  Denominazione struttura: nome\nvalori:\n  stato: attiva\n", encoding="utf-8")
    rc, out = run(prog, src, "--tipo", "udo", "--mappatura", mapp)
    assert rc == 0, out
    assert "Denominazione struttura → nome" in out
    uno = yaml.safe_load((prog.enti_dir / "udo" / "centro-prova-uno.yml").read_text(encoding="utf-8"))
    assert uno["tipologia"] == "cag" and uno["posti"] == 30 and uno["accreditata"] is True
    assert uno["verificato_il"] == dt.date(2026, 9, 30) and uno["stato"] == "attiva"
    assert "udo.xlsx:riga 4: creato" in out
    due = yaml.safe_load((prog.enti_dir / "udo" / "nido-prova-due.yml").read_text(encoding="utf-8"))
    assert due["tipologia"] == "asilo_nido" and due["posti"] == 24 and due["accreditata"] is False


def test_utf8_bom_comma_and_tab_files(prog, tmp_path):
    a = tmp_path / "a.csv"
    a.write_bytes("\ufeffNome,Comune,Email\nAssociazione Prova Virgola,Crema,a@example.org\n".encode("utf-8"))
    b = tmp_path / "b.tsv"
    b.write_text("Ragione sociale\tComune\tP.IVA\nAssociazione Prova Tab\tCrema\t\n", encoding="utf-8")
    assert importa(prog, a, "ets", oggi=OGGI).conta("creato") == 1
    assert importa(prog, b, "ets", oggi=OGGI).conta("creato") == 1
    d = yaml.safe_load((prog.enti_dir / "ets" / "associazione-prova-virgola.yml").read_text(encoding="utf-8"))
    assert d["contatti"]["email"] == "a@example.org"


def test_unreadable_header_is_an_invocation_error(prog, tmp_path, capsys):
    src = tmp_path / "x.csv"
    src.write_text("foo;bar\n1;2\n", encoding="utf-8")
    assert main(["--root", str(prog.root), "import", str(src), "--tipo", "ets"]) == 2
    assert "nessuna riga di intestazione riconosciuta" in capsys.readouterr().err


def test_mapping_file_with_unknown_field_is_refused(prog, tmp_path, capsys):
    src = scrivi_csv(tmp_path / "m.csv", ["Associazione Prova Uno;Crema;;;;;;;;;;"])
    mapp = tmp_path / "map.yml"
    mapp.write_text("colonne:\n  Denominazione: nomee\n", encoding="utf-8")
    assert main(["--root", str(prog.root), "import", str(src), "--tipo", "ets", "--mappatura", str(mapp)]) == 2
    assert "colonna 'Denominazione': campo sconosciuto 'nomee'" in capsys.readouterr().err


@pytest.mark.parametrize(
    "cella, atteso",
    [
        ("Organizzazioni di volontariato", "odv"),
        ("APS", "aps"),
        ("a) Organizzazioni di volontariato", "odv"),
        ("Sezione d", "imprese_sociali"),
        ("Cooperative sociali", "imprese_sociali"),
        ("non iscritto", None),
        ("Altri enti del Terzo settore", "altri_ets"),
    ],
)
def test_runts_words_become_contract_ids(prog, cella, atteso):
    from atlante.importazione.pulizia import Tassonomie

    assert Tassonomie(prog).sezione_runts(cella) == atteso


def test_runts_unknown_word_is_explained(prog):
    from atlante.importazione.pulizia import Tassonomie, ValoreNonValido

    with pytest.raises(ValoreNonValido, match="sezione RUNTS sconosciuta 'Sezione Z'"):
        Tassonomie(prog).sezione_runts("Sezione Z")


@pytest.mark.parametrize(
    "cella, atteso",
    [
        (373218820, ["0373 218820"]),  # numeric Excel cell lost the leading 0
        (3331234567, ["333 123 4567"]),
        ("0373/218820", ["0373 218820"]),
        ("0373 218820 / 333 1234567", ["0373 218820", "333 123 4567"]),
        ("tel. 0373-218820; cell 3331234567", ["0373 218820", "333 123 4567"]),
        ("123", ["123"]),  # kept as written: the validator says what is wrong
    ],
)
def test_phone_cells(cella, atteso):
    from atlante.importazione.pulizia import telefoni

    assert telefoni(cella) == atteso


def test_slug_transliterates_accents():
    from atlante.importazione.pulizia import slug

    assert slug("Associazione Prova “Città” d’Arte & Più") == "associazione-prova-citta-d-arte-piu"


def test_update_adds_a_new_field_where_the_schema_puts_it(prog, tmp_path):
    src = scrivi_csv(tmp_path / "m.csv", ["Associazione Prova Esistente;Crema;Via Prova 3;;;;;;;;;"])
    assert [e.categoria for e in importa(prog, src, "ets", aggiorna=True, oggi=OGGI).esiti] == ["aggiornato"]
    lines = (prog.enti_dir / "ets" / "associazione-prova-esistente.yml").read_text(encoding="utf-8").splitlines()
    assert lines[3:5] == ["comune: Crema  # sede legale", "indirizzo: Via Prova 3"]


def test_checks_spread_over_processes_give_the_same_result(prog, tmp_path, monkeypatch):
    """Above _MIN_PARALLELO would-be files the per-file checks run in worker processes: same messages, same files."""
    import shutil

    import atlante.importazione.importa as imp
    from atlante.lettura.progetto import Progetto

    righe = [
        "Associazione Prova Uno;Crema;Via Roma 1;26013;0373/123456;333 1234567;a@example.org;www.uno.example.org;;APS;1;",
        "ASSOCIAZIONE PROVA ESISTENTE ODV;Crema;;;0373 222222;;;;;;;",
        "Associazione Prova Tre;Pandino;;;;;;;;;;",
    ]
    cattiva = "Associazione Prova Due;Crema;;99999;123;;x@;;12345678901;;;"
    copia = Progetto(shutil.copytree(prog.root, tmp_path / "copia"))
    uscite = []
    for progetto, minimo in ((prog, imp._MIN_PARALLELO), (copia, 2)):
        monkeypatch.setattr(imp, "_MIN_PARALLELO", minimo)
        before = tree(progetto.data_dir)
        refused = run(progetto, scrivi_csv(tmp_path / "m.csv", [*righe, cattiva]), "--tipo", "ets", "--aggiorna")
        assert refused[0] == 1 and tree(progetto.data_dir) == before
        uscite.append((refused, run(progetto, scrivi_csv(tmp_path / "m.csv", righe), "--tipo", "ets", "--aggiorna")))
    assert uscite[0] == uscite[1]
    assert "m.csv:riga 5: codice_fiscale: codice fiscale/partita IVA" in uscite[0][0][1]
    assert (
        "m.csv:riga 5: da verificare: contatti.telefono: numero non valido lasciato fuori (nella fonte: '123')"
        in uscite[0][0][1]
    )
    assert uscite[0][1][0] == 0 and "1 aggiornati" in uscite[0][1][1]
    assert tree(prog.data_dir) == tree(copia.data_dir)
    assert not [p for p in prog.enti_dir.iterdir() if p.name.startswith(".")]  # no staging folder left
