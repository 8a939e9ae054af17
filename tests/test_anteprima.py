"""`atlante serve`: a saved record reaches its page, its comune's page and the search index
without a full rebuild (atlante.motore.anteprima), served over HTTP from 127.0.0.1."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from aiuti import copy_project, frammenti_pagefind

MARCATORE = "Zafferano-anteprima"


def _porta_libera() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _leggi(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.read().decode("utf-8")
    except OSError:
        return None


def _aspetta(condizione, secondi: float, cosa: str, log: Path):
    fine = time.monotonic() + secondi
    while time.monotonic() < fine:
        if (v := condizione()) is not None and v is not False:
            return v
        time.sleep(0.2)
    raise AssertionError(f"{cosa}: non avvenuto in {secondi} s\n{log.read_text(encoding='utf-8')[-3000:]}")


def test_a_saved_record_updates_its_pages_and_the_index_without_a_rebuild(tmp_path):
    root = copy_project(tmp_path / "p")
    porta = _porta_libera()
    base = f"http://127.0.0.1:{porta}"
    log = tmp_path / "serve.log"
    with open(log, "w", encoding="utf-8") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "atlante", "--root", str(root), "serve", "--dev-addr", f"127.0.0.1:{porta}"],
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )
    try:
        testo = lambda: log.read_text(encoding="utf-8")  # noqa: E731
        _aspetta(lambda: _leggi(base + "/enti/ets/aima-crema-odv/"), 180, "prima costruzione", log)
        site = Path(
            _aspetta(lambda: re.search(r"Sito costruito in [\d.]+ s in (\S+)", testo()), 10, "cartella", log)[1]
        )
        assert MARCATORE not in _leggi(base + "/comuni/crema/")

        scheda = root / "data/enti/ets/aima-crema-odv.yml"
        scheda.write_text(
            scheda.read_text(encoding="utf-8").replace("nome: Aima Crema ODV", f"nome: Aima Crema ODV {MARCATORE}"),
            encoding="utf-8",
        )
        pagina = _aspetta(
            lambda: (t := _leggi(base + "/enti/ets/aima-crema-odv/")) and MARCATORE in t and t, 30, "scheda", log
        )
        assert f"<title>Aima Crema ODV {MARCATORE} - Atlante di Comunità</title>" in pagina
        # the comune lists it under its new name, and so does its kind's table (a moment later)
        for url in ("/comuni/crema/", "/enti/ets/"):
            _aspetta(lambda u=url: MARCATORE in (_leggi(base + u) or ""), 30, url, log)
        _aspetta(lambda: "Indice di ricerca aggiornato" in testo(), 120, "indice di ricerca", log)
        indice = frammenti_pagefind(site)
        assert MARCATORE in indice["/enti/ets/aima-crema-odv/"]["content"]
        assert MARCATORE in indice["/comuni/crema/"]["content"]
        # no full rebuild: one build at the start, then the preview's own update
        assert testo().count("Costruisco tutto il sito") == 1
        assert float(re.search(r"Anteprima aggiornata in ([\d.]+) s, senza ricostruire il sito", testo())[1]) < 5
        assert "Elenchi, comuni, temi e mappa aggiornati" in testo()
    finally:
        # SIGTERM, which atlante handles like Ctrl-C (a background test run may ignore SIGINT)
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    assert "Anteprima chiusa." in testo()
    assert not site.exists()  # the preview's temporary site is removed


def test_the_server_hears_changes_at_once_and_not_reads(tmp_path):
    """atlante serve watches with the system's notifications: a write is heard within a fraction of
    a second (MkDocs polls twice a second), a read never (each build reads every record: a read
    heard as a change would start the next build)."""
    from watchdog.events import FileSystemEventHandler
    from watchdog.observers.polling import PollingObserver

    from atlante.motore.servi import osservatore_nativo

    scheda = tmp_path / "scheda.yml"
    scheda.write_text("nome: A\n", encoding="utf-8")
    sentiti = []

    class Ascolta(FileSystemEventHandler):
        def on_any_event(self, event):
            sentiti.append((time.monotonic(), event.event_type))

    osservatore = osservatore_nativo(tmp_path)
    if osservatore is None:  # the system cannot watch here: the server polls, as MkDocs does
        pytest.skip("nessuna notifica dei file su questa macchina (inotify non disponibile)")
    osservatore.schedule(Ascolta(), str(tmp_path), recursive=True)
    osservatore.start()
    try:
        time.sleep(0.2)
        scheda.read_text(encoding="utf-8")
        time.sleep(0.3)
        assert sentiti == []
        salvata = time.monotonic()
        scheda.write_text("nome: B\n", encoding="utf-8")
        fine = salvata + 2
        while not sentiti and time.monotonic() < fine:
            time.sleep(0.01)
        # heard well within MkDocs' half-second polling (a margin for a loaded CI machine), and by
        # a notifying observer, not one that polls
        assert sentiti and sentiti[0][0] - salvata < 0.45
        assert not isinstance(osservatore, PollingObserver)
    finally:
        osservatore.stop()
        osservatore.join()
