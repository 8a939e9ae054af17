"""`atlante serve`: MkDocs' live-reload server with the incremental preview (motore/anteprima.py).

As `mkdocs serve`: a full build into a temporary folder, served at dev_addr, browsers reloaded
after each change. Here the server also remembers which files changed: when they are only saved
records, the preview updates their pages by stamping (no MkDocs build) and refreshes the search
index in the background; anything else (content, templates, mkdocs.yml, schemas, reference data)
rebuilds everything, as before.
"""

from __future__ import annotations

import gc
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

from atlante.base.problems import visibile
from atlante.lettura.progetto import Progetto
from atlante.motore.anteprima import Anteprima, SchedaNonValida


def _di(messaggio: str) -> None:
    print(messaggio, file=sys.stderr, flush=True)


def servi(progetto: Progetto, dev_addr: str) -> None:
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.livereload import LiveReloadServer, _serve_url

    site_dir = Path(tempfile.mkdtemp(prefix="atlante-anteprima-"))
    cambiati: set[Path] = set()
    lucchetto = threading.Lock()
    stato: dict = {"anteprima": None}

    def carica():
        return load_config(config_file=str(progetto.root / "mkdocs.yml"), site_dir=str(site_dir), dev_addr=dev_addr)

    config = carica()
    config.plugins.on_startup(command="serve", dirty=False)
    host, port = config.dev_addr
    mount_path = urlsplit(config.site_url or "/").path
    serve_url = _serve_url(host, port, mount_path)

    def completa(config=None) -> None:
        t0 = time.perf_counter()
        _di("Costruisco tutto il sito...")
        stato["anteprima"] = None
        gc.unfreeze()  # the previous build's state (frozen by Anteprima) may now be collected
        config = config or carica()
        config.site_url = serve_url
        build(config, serve_url=serve_url)
        hook = next(m for m in config.hooks.values() if hasattr(m, "preparazione"))
        stato["anteprima"] = Anteprima(hook.preparazione(), site_dir)
        _di(f"Sito costruito in {time.perf_counter() - t0:.1f} s in {site_dir}")

    def costruisci() -> None:
        with lucchetto:
            percorsi = sorted(cambiati)
            cambiati.clear()
        anteprima = stato["anteprima"]
        if anteprima is None or not anteprima.solo_schede(percorsi):
            return completa()
        try:
            esito = anteprima.aggiorna(percorsi)
        except SchedaNonValida as e:
            _di(str(e))
            return
        if esito is None:
            return completa()
        for p in esito.avvisi:
            _di(p.text())
        pagine = visibile(", ".join(esito.pagine))  # addresses made of file names: the terminal writer
        _di(f"Anteprima aggiornata in {esito.secondi:.2f} s, senza ricostruire il sito: {pagine}")
        anteprima.completa_dopo(
            esito,
            lambda scritte, s: _di(f"Elenchi, comuni, temi e mappa aggiornati in {s:.2f} s ({len(scritte)} file)"),
            lambda s: _di(f"Indice di ricerca aggiornato in {s:.1f} s"),
        )

    class Registra:
        """Which files changed since the last build (MkDocs' own handler only says that some did);
        watchdog calls dispatch with each event."""

        def dispatch(self, event):
            if event.is_directory:
                return
            with lucchetto:
                for p in (event.src_path, getattr(event, "dest_path", "")):
                    if p:
                        cambiati.add(Path(os.fsdecode(p)))

    server = LiveReloadServer(builder=costruisci, host=host, port=port, root=str(site_dir), mount_path=mount_path)
    server.observer = osservatore_nativo(progetto.data_dir) or server.observer

    def pagina_di_errore(code) -> bytes | None:
        pagina = site_dir / f"{code}.html"
        return pagina.read_bytes() if code in (404, 500) and pagina.is_file() else None

    server.error_handler = pagina_di_errore
    try:
        completa(config)
        osservate = [config.docs_dir, config.config_file_path, str(progetto.data_dir)]
        osservate += [str(progetto.root / "site_overrides")] if (progetto.root / "site_overrides").is_dir() else []
        for percorso in osservate:
            server.watch(percorso)
            server.observer.schedule(Registra(), percorso, recursive=Path(percorso).is_dir())
        try:
            server.serve()
        except KeyboardInterrupt:
            _di("Anteprima chiusa.")
        finally:
            server.shutdown()
    finally:
        config.plugins.on_shutdown()
        shutil.rmtree(site_dir, ignore_errors=True)


def osservatore_nativo(prova: Path):
    """The system's own file-change notifications (inotify, FSEvents, ...) for the server, or None
    where they cannot watch `prova` (then MkDocs' polling stays). MkDocs polls every watched file
    twice a second: a saved record waited up to half a second to be noticed, and 10,000 records
    cost 20,000 stat calls a second. Only changes count: the build itself opens and reads every
    record, and those events must not start another build."""
    from watchdog.events import (
        DirCreatedEvent,
        DirDeletedEvent,
        DirMovedEvent,
        FileClosedEvent,
        FileCreatedEvent,
        FileDeletedEvent,
        FileModifiedEvent,
        FileMovedEvent,
        FileSystemEventHandler,
    )
    from watchdog.observers import Observer

    cambiamenti = [
        FileCreatedEvent,
        FileModifiedEvent,
        FileDeletedEvent,
        FileMovedEvent,
        FileClosedEvent,
        DirCreatedEvent,
        DirDeletedEvent,
        DirMovedEvent,
    ]

    class SoloCambiamenti(Observer):  # type: ignore[misc, valid-type]
        def schedule(self, event_handler, path, *, recursive=False, event_filter=None):
            return super().schedule(event_handler, path, recursive=recursive, event_filter=event_filter or cambiamenti)

    try:  # a short trial: inotify has a per-user limit of watches
        prova_osservatore = SoloCambiamenti()
        prova_osservatore.schedule(FileSystemEventHandler(), str(prova), recursive=True)
        prova_osservatore.start()
        prova_osservatore.stop()
        prova_osservatore.join()
    except OSError:
        return None
    return SoloCambiamenti()
