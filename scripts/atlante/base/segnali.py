"""Ctrl-C and SIGTERM: one Italian line instead of a traceback, never a half-written state.

`installa()` (the `atlante` command) turns SIGTERM into the same exception as Ctrl-C, so the
`finally` blocks that remove temporary folders run in both cases. `rinviati()` holds both
signals back while a short sequence of renames runs, so it completes or (on an error) is rolled
back, and raises the interruption after it. Forked workers call `nel_figlio()`: they stop
quietly and leave the message to the main process.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import threading
from pathlib import Path

SEGNALI = (signal.SIGINT, signal.SIGTERM)


class Interrotto(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C."""


def _termina(signum, frame):
    raise Interrotto()


def installa() -> None:
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _termina)


def nel_figlio() -> None:
    for s in SEGNALI:
        signal.signal(s, lambda signum, frame: os._exit(128 + signum))


@contextlib.contextmanager
def rinviati():
    """Run the block without interruption by SIGINT/SIGTERM; one that arrives meanwhile is
    raised (as KeyboardInterrupt) when the block is over."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    arrivati: list[int] = []
    precedenti = {s: signal.signal(s, lambda signum, frame: arrivati.append(signum)) for s in SEGNALI}
    try:
        yield
    finally:
        for s, h in precedenti.items():
            signal.signal(s, h)
    if arrivati:
        raise Interrotto() if arrivati[0] == signal.SIGTERM else KeyboardInterrupt()


def pulisci_avanzi(cartella: Path, prefissi: tuple[str, ...]) -> None:
    """Remove the temporary folders that an interrupted run left in `cartella` (named
    PREFIX<pid>-...), unless the process that made them is still running."""
    if not cartella.is_dir():
        return
    for p in cartella.iterdir():
        for prefisso in prefissi:
            if not p.name.startswith(prefisso) or not p.is_dir() or p.is_symlink():
                continue
            pid = p.name[len(prefisso) :].split("-", 1)[0]
            if pid.isdigit() and int(pid) != os.getpid() and _vivo(int(pid)):
                continue
            shutil.rmtree(p, ignore_errors=True)


def _vivo(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
