"""Files the atlas must never touch or publish: --site-dir and `atlante pagine` targets,
symlinks, interrupted runs, files that a validation would silently skip."""

from __future__ import annotations

import os
import re
import stat

import pytest

from aiuti import copy_project
from atlante.cli.principale import main


def _albero(d):
    return {p.relative_to(d).as_posix(): p.read_bytes() for p in sorted(d.rglob("*")) if p.is_file()}


@pytest.fixture
def progetto_copia(tmp_path):
    return copy_project(tmp_path / "p")


@pytest.mark.parametrize("bersaglio", [".", "data", "content", "site_overrides", "data/enti", "..", "content/news"])
def test_build_refuses_a_site_dir_holding_the_project_or_its_sources(progetto_copia, capsys, bersaglio):
    root = progetto_copia
    (root / "data/enti/ets/non-ancora-committata.yml").write_text("nome: Bozza\n", encoding="utf-8")
    prima = _albero(root.parent)
    rc = main(["--root", str(root), "build", "--site-dir", str(root / bersaglio)])
    err = capsys.readouterr().err
    assert rc == 2
    assert err.startswith("atlante build: --site-dir ")
    assert "Nessun file toccato." in err
    assert _albero(root.parent) == prima


def test_build_refuses_a_non_empty_folder_that_is_not_a_previous_build(progetto_copia, tmp_path, capsys):
    altro = tmp_path / "documenti"
    altro.mkdir()
    (altro / "tesi.odt").write_bytes(b"mia")
    rc = main(["--root", str(progetto_copia), "build", "--site-dir", str(altro)])
    err = capsys.readouterr().err
    assert rc == 2
    assert "la cartella non è vuota e non è stata creata dall'Atlante (manca il file .atlante-sito)" in err
    assert (altro / "tesi.odt").read_bytes() == b"mia"


def test_pagine_refuses_to_overwrite_hand_written_content(progetto_copia, capsys):
    prima = _albero(progetto_copia)
    for bersaglio in ("content", "content/verbali", ".", "data"):
        rc = main(["--root", str(progetto_copia), "pagine", str(progetto_copia / bersaglio)])
        assert rc == 2
        assert "atlante pagine: " in capsys.readouterr().err
    assert _albero(progetto_copia) == prima


def test_pagine_refuses_a_foreign_folder_but_rewrites_its_own(progetto_copia, tmp_path, capsys):
    altro = tmp_path / "altro"
    altro.mkdir()
    (altro / "appunti.md").write_text("miei", encoding="utf-8")
    assert main(["--root", str(progetto_copia), "pagine", str(altro)]) == 2
    assert "manca il file .atlante-pagine" in capsys.readouterr().err
    out = tmp_path / "out"
    assert main(["--root", str(progetto_copia), "pagine", str(out)]) == 0
    assert main(["--root", str(progetto_copia), "pagine", str(out)]) == 0  # its own output: rewritten


def test_site_has_normal_permissions_and_no_leftovers(progetto_copia, tmp_path):
    from atlante.lettura.progetto import Progetto
    from atlante.motore.costruzione import build_site

    # leftovers of a killed build (a pid that cannot be running) are cleaned by the next one
    avanzo = progetto_copia / ".site.nuovo-999999999-abc"
    avanzo.mkdir()
    (avanzo / "index.html").write_text("vecchio", encoding="utf-8")
    vecchia_umask = os.umask(0o022)
    try:
        site = build_site(Progetto(progetto_copia))
    finally:
        os.umask(vecchia_umask)
    assert not avanzo.exists()
    assert (site / ".atlante-sito").is_file()
    assert stat.S_IMODE(site.stat().st_mode) == 0o755
    assert stat.S_IMODE((site / "index.html").stat().st_mode) == 0o644
    assert stat.S_IMODE((site / "enti").stat().st_mode) == 0o755


def _scrivi_interrotto(progetto, monkeypatch, al: int, come):
    """Run the import's writing step over 20 new records and one replaced, calling
    come() just before the `al`-th rename into data/enti/."""
    from atlante.importazione import importa as imp

    cartella = progetto.enti_dir / "ets"
    esistente = cartella / "esistente.yml"
    esistente.write_text("nome: Vecchia\n", encoding="utf-8")
    testi = {cartella / f"nuova-{i:02}.yml": f"nome: Nuova {i}\n" for i in range(20)}
    testi[esistente] = "nome: Nuova versione\n"
    prima = _albero(progetto.data_dir)
    vero, chiamate = os.replace, []

    def replace(src, dst):
        if str(dst).endswith(".yml") and ".importa-" not in str(dst):
            chiamate.append(dst)
            if len(chiamate) == al:
                come()
        return vero(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    return imp._scrivi, testi, prima


def test_ctrl_c_during_the_import_renames_leaves_all_or_nothing(progetto_vuoto, monkeypatch):
    import signal

    scrivi, testi, prima = _scrivi_interrotto(
        progetto_vuoto, monkeypatch, 7, lambda: os.kill(os.getpid(), signal.SIGINT)
    )
    with pytest.raises(KeyboardInterrupt):
        scrivi(progetto_vuoto, testi)
    monkeypatch.undo()
    dopo = _albero(progetto_vuoto.data_dir)
    atteso = dict(prima) | {
        p.relative_to(progetto_vuoto.data_dir).as_posix(): t.encode("utf-8") for p, t in testi.items()
    }
    assert dopo in (prima, atteso), "import left data/ half written"
    assert not list(progetto_vuoto.enti_dir.glob(".importa-*"))


def test_a_failure_during_the_import_renames_puts_everything_back(progetto_vuoto, monkeypatch):
    def rompi():
        raise OSError("disco pieno")

    scrivi, testi, prima = _scrivi_interrotto(progetto_vuoto, monkeypatch, 21, rompi)
    with pytest.raises(OSError, match="disco pieno"):
        scrivi(progetto_vuoto, testi)
    monkeypatch.undo()
    assert _albero(progetto_vuoto.data_dir) == prima
    assert not list(progetto_vuoto.enti_dir.glob(".importa-*"))


def test_import_leftovers_of_a_killed_run_are_removed(progetto_vuoto):
    from atlante.importazione.importa import _scrivi

    avanzo = progetto_vuoto.enti_dir / ".importa-999999999-xyz"
    avanzo.mkdir()
    (avanzo / "0.yml").write_text("nome: A metà\n", encoding="utf-8")
    _scrivi(progetto_vuoto, {progetto_vuoto.enti_dir / "ets" / "una.yml": "nome: Una\n"})
    assert not avanzo.exists()


def test_ctrl_c_and_sigterm_print_one_italian_line_and_leave_no_temporary_folder(progetto_copia):
    import signal
    import subprocess
    import sys
    import time

    for segnale in (signal.SIGINT, signal.SIGTERM):
        proc = subprocess.Popen(
            [sys.executable, "-m", "atlante", "--root", str(progetto_copia), "build"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,  # its own process group, as a terminal's Ctrl-C reaches it
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )
        # wait until the build has started writing its temporary site, then interrupt it (soon:
        # the whole build of the shipped data takes a couple of seconds)
        scadenza = time.monotonic() + 60
        while not list(progetto_copia.glob(".site.nuovo-*")) and time.monotonic() < scadenza:
            time.sleep(0.05)
        time.sleep(0.2)
        os.killpg(proc.pid, segnale)
        _out, err = proc.communicate(timeout=60)
        assert proc.returncode == 130, err
        assert "Traceback" not in err
        righe = [r for r in err.splitlines() if r.strip() and not r.startswith("INFO")]
        assert righe == ["atlante build: interrotto; nessun file lasciato a metà (tutto com'era prima o come dopo)."]
        assert not [p.name for p in progetto_copia.iterdir() if p.name.startswith(".site.")]


_SCRIPT_SEGNALI = r"""
import os, signal, sys, time
from atlante.base.parallelo import InParallelo
from atlante.base.segnali import installa, rileva

def dorme(s):
    time.sleep(s)
    return "finito"

installa()
caso = sys.argv[1]
if caso == "perso":  # an exception raised where Python can only print it and go on
    class Oggetto:
        def __del__(self):
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.2)
    o = Oggetto()
    del o
    try:
        rileva()
    except KeyboardInterrupt:
        print("fermato")
elif caso == "import":  # a module that, like numpy's C part, must not be interrupted half loaded
    import tempfile
    cartella = tempfile.mkdtemp()
    with open(os.path.join(cartella, "lento.py"), "w") as f:
        f.write("import os, signal, time\nos.kill(os.getpid(), signal.SIGINT)\ntime.sleep(0.2)\nCARICATO = True\n")
    sys.path.insert(0, cartella)
    from atlante.base.segnali import importa_intero
    try:
        importa_intero("lento")
    except KeyboardInterrupt:
        print("fermato", sys.modules["lento"].CARICATO)
elif caso in ("padre", "figlio"):  # a Ctrl-C that lands in the at-fork handlers
    if caso == "padre":
        os.register_at_fork(before=lambda: os.kill(os.getpid(), signal.SIGINT))
    else:
        os.register_at_fork(after_in_child=lambda: os.kill(os.getpid(), signal.SIGINT))
    try:
        lavoro = InParallelo(dorme, 0.5)
        print("risultato", lavoro.risultato())
    except KeyboardInterrupt:
        print("fermato")
"""


@pytest.mark.parametrize("caso", ["perso", "padre", "figlio", "import"])
def test_a_ctrl_c_that_python_would_swallow_still_stops_the_command(caso):
    """Python prints and ignores an exception raised in an at-fork handler or a __del__: a Ctrl-C
    landing there was lost and the build went on to publish its site with exit 0."""
    import subprocess
    import sys

    uscita = subprocess.run([sys.executable, "-c", _SCRIPT_SEGNALI, caso], capture_output=True, text=True, timeout=60)
    assert uscita.stdout.split() == ["fermato"] + (["True"] if caso == "import" else []), uscita.stderr
    if caso != "perso":  # held back during the fork, not printed as an ignored exception
        assert "Exception ignored" not in uscita.stderr, uscita.stderr


FORMULE = ['=HYPERLINK("http://x.example";"clic")', "+1+cmd|' /C calc'!A0", "-2+3", "@SOMMA(A1)", "＝1+1"]


def _celle(testo: str) -> list[list[str]]:
    import csv
    import io

    assert testo.startswith("\ufeff")
    return list(csv.reader(io.StringIO(testo.removeprefix("\ufeff"), newline=""), delimiter=";"))


def _nessuna_formula(righe: list[list[str]]) -> None:
    for riga in righe:
        for c in riga:
            assert not c.startswith(("=", "+", "@", "＝")) and not (c.startswith("-") and not c[1:2].isdigit()), c
            if c.startswith("-"):
                assert c.replace(" ", "").lstrip("-").replace(".", "").isdigit(), c


def test_stale_csv_neutralises_formulas(progetto_vuoto, scrivi, capsysbinary):
    for i, f in enumerate(FORMULE):
        scrivi(
            "ets",
            f"formula-{i}.yml",
            f"nome: '{f.replace(chr(39), chr(39) * 2)}'\ncomune: Crema\nverificato_il: 2020-01-01\n",
        )
    assert main(["--root", str(progetto_vuoto.root), "stale", "--formato", "csv", "--al", "2026-01-01"]) == 0
    righe = _celle(capsysbinary.readouterr().out.decode("utf-8"))
    nomi = [r[righe[0].index("nome")] for r in righe[1:]]
    assert sorted(nomi) == sorted("'" + f for f in FORMULE)
    _nessuna_formula(righe)


def test_import_report_neutralises_formulas(progetto_vuoto, tmp_path, capsys):
    src = tmp_path / "m.csv"
    righe = "".join(f"{f.replace(';', ',')};Crema\r\n" for f in FORMULE)
    src.write_text("Denominazione;Comune\r\n" + righe, encoding="utf-8")
    report = tmp_path / "r.csv"
    main(["--root", str(progetto_vuoto.root), "import", str(src), "--tipo", "ets", "--prova", "--report", str(report)])
    celle = _celle(report.read_text(encoding="utf-8"))
    assert len(celle) == len(FORMULE) + 1
    assert all(r[2].startswith("'") for r in celle[1:]), celle
    _nessuna_formula(celle)


def test_open_data_csv_neutralises_formulas():
    from atlante.base.foglio import cella

    assert [cella(f) for f in FORMULE] == ["'" + f for f in FORMULE]
    assert [cella(x) for x in ("+39 0373 123456", "-12,5", "3", None)] == ["+39 0373 123456", "-12,5", "3", ""]


def test_every_csv_goes_through_the_one_writer():
    from aiuti import ROOT

    scrittori = [
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "scripts" / "atlante").rglob("*.py")
        if ("csv.writer(" in (t := p.read_text(encoding="utf-8")) or "csv.DictWriter(" in t)
    ]
    assert scrittori == ["scripts/atlante/base/foglio.py"]


RECORD = "nome: Associazione Prova Collegata\ncomune: Crema\nverificato_il: 2026-01-10\nfonte: prova\n"


def _validate(root, capsys, *paths) -> tuple[int, str]:
    rc = main(["--root", str(root), "validate", *map(str, paths)])
    return rc, capsys.readouterr().out


def test_symlinks_under_the_sources_are_refused_by_validate_and_build(progetto_copia, tmp_path, capsys):
    from atlante.lettura.progetto import Progetto
    from atlante.motore.costruzione import BuildFallita, build_site

    root = progetto_copia
    riservati = tmp_path / "verbali-riservati"  # outside the project, as the README asks
    riservati.mkdir()
    (riservati / "segreto.md").write_text("TESTO-RISERVATO-IN-CHIARO\n", encoding="utf-8")
    fuori = tmp_path / "fuori.yml"
    fuori.write_text(RECORD, encoding="utf-8")
    (root / "content/x.txt").symlink_to("/etc/passwd")
    (root / "content/verbali/segreto.md").symlink_to(
        os.path.relpath(riservati / "segreto.md", root / "content/verbali")
    )
    (root / "content/cartella").symlink_to(riservati, target_is_directory=True)
    (root / "data/enti/ets/collegata.yml").symlink_to(fuori)
    (root / "site_overrides/main.html").rename(root / "site_overrides/vero.html")
    (root / "site_overrides/main.html").symlink_to("vero.html")  # even inside the project
    rc, out = _validate(root, capsys)
    assert rc == 1
    for rel in (
        "content/x.txt",
        "content/verbali/segreto.md",
        "content/cartella",
        "data/enti/ets/collegata.yml",
        "site_overrides/main.html",
    ):
        assert f"{rel}:1:1: (file): collegamento simbolico (punta a '" in out, (rel, out)
    # a single linked file named on the command line is refused too
    rc, out = _validate(root, capsys, root / "data/enti/ets/collegata.yml")
    assert rc == 1 and "data/enti/ets/collegata.yml:1:1: (file): collegamento simbolico" in out
    with pytest.raises(BuildFallita, match="content/x.txt:1:1: \\(file\\): collegamento simbolico"):
        build_site(Progetto(root))
    assert not (root / "site").exists()


def test_every_file_under_data_enti_and_content_is_read_or_reported(progetto_copia, capsys):
    root = progetto_copia
    enti = root / "data/enti"
    (enti / "ets/sotto").mkdir()
    for rel in ("ets/sotto/annidata.yml", "diretta.yml", "ets/.nascosta.yml", "ets/..yml"):
        (enti / rel).write_text(RECORD, encoding="utf-8")
    (enti / "altro").mkdir()
    (enti / ".importa-123-abc").mkdir()
    notizia = (root / "content/news/2026-11-23-atlante-di-comunita.md").read_text(encoding="utf-8")
    (root / "content/news/NOME MAIUSCOLO.md").write_text(notizia, encoding="utf-8")
    (root / "content/news/archivio").mkdir()
    (root / "content/news/archivio/vecchia.md").write_text(notizia, encoding="utf-8")
    (root / "content/verbali/Verbale Seduta.md").write_text("---\n---\n", encoding="utf-8")
    (root / "content/.bozza.md").write_text("# bozza\n", encoding="utf-8")
    rc, out = _validate(root, capsys)
    assert rc == 1
    attesi = {
        "data/enti/ets/sotto/annidata.yml": "scheda in una sottocartella di data/enti/ets/: non viene letta",
        "data/enti/diretta.yml": "file direttamente in data/enti/: non viene letto",
        "data/enti/ets/.nascosta.yml": "nome del file non valido '.nascosta.yml': un nome che comincia con un punto",
        "data/enti/ets/..yml": "nome del file non valido '..yml'",
        "data/enti/altro": "cartella sconosciuta in data/enti/",
        "data/enti/.importa-123-abc": "cartella lasciata da un'importazione interrotta",
        "content/news/NOME MAIUSCOLO.md": "nome del file non valido 'NOME MAIUSCOLO.md': solo lettere minuscole",
        "content/news/archivio/vecchia.md": "notizia in una sottocartella di content/news/",
        "content/verbali/Verbale Seduta.md": "nome del file non valido 'Verbale Seduta.md'",
        "content/.bozza.md": "nome del file non valido '.bozza.md': un nome che comincia con un punto è ignorato dalla costruzione",
    }
    for rel, messaggio in attesi.items():
        assert f"{rel}:1:1: (file): {messaggio}" in out, (rel, out)
    assert "rinominalo in nome-maiuscolo.md" in out


def test_no_built_page_or_script_can_request_a_third_party_script(sito):
    import re

    from bs4 import BeautifulSoup

    esterni = re.compile(r"https?://(?!127\.0\.0\.1|localhost)[^\s\"'`)]+")
    trovati = []
    for f in sorted((sito / "assets" / "javascripts").rglob("*.js")):
        testo = f.read_text(encoding="utf-8")
        # every absolute URL a script could load: only those that name no script are allowed
        for url in esterni.findall(testo):
            if "/blob/" not in url and re.search(r"unpkg\.com|jsdelivr|cdnjs|polyfill|\.js\b|googleapis", url):
                trovati.append((f.name, url))
    for f in sorted(sito.rglob("*.html")):
        pagina = BeautifulSoup(f.read_text(encoding="utf-8"), "html.parser")
        for s in pagina.find_all("script", src=True):
            if esterni.match(s["src"]):
                trovati.append((f.relative_to(sito).as_posix(), s["src"]))
    assert not trovati, trovati[:10]


def test_lock_files_pin_every_dependency_for_the_declared_python():
    import subprocess
    import sys
    import tomllib

    from aiuti import ROOT

    impronta = subprocess.run(
        [sys.executable, str(ROOT / "scripts/impronta_dipendenze.py")], capture_output=True, text=True, check=True
    ).stdout.strip()
    pp = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    for lock, richieste in (
        ("requirements.lock", pp["dependencies"]),
        ("requirements-test.lock", pp["dependencies"] + sum(pp["optional-dependencies"].values(), [])),
    ):
        testo = (ROOT / lock).read_text(encoding="utf-8")
        assert f"# impronta di pyproject.toml: {impronta}\n" in testo, f"{lock}: rigenera con bash scripts/lock.sh"
        fissati = {m.replace("_", "-").replace(".", "-") for m in re.findall(r"^([A-Za-z0-9_.-]+)==", testo, re.M)}
        for r in richieste:
            nome = re.match(r"[A-Za-z0-9_.-]+", r)[0].lower().replace("_", "-").replace(".", "-")
            assert nome in fissati, (lock, nome)
        righe = [r for r in testo.splitlines() if re.match(r"^[A-Za-z0-9_.-]+==", r)]
        assert righe and all(r.endswith("\\") for r in righe)  # each pin is followed by its hashes
    for wf in (ROOT / ".github/workflows").glob("*.yml"):
        testo = wf.read_text(encoding="utf-8")
        assert (
            'python-version: "3.11"' in testo and "bash scripts/setup.sh && " in testo and "pip install ." not in testo
        )
