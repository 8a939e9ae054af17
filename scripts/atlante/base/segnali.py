"""Ctrl-C and SIGTERM: one Italian line instead of a traceback, never a half-written state.

`installa()` (the `atlante` command) turns SIGTERM into the same exception as Ctrl-C, so the
`finally` blocks that remove temporary folders run in both cases, and remembers that a signal
came: Python swallows an exception raised in some places (an at-fork handler, a `__del__`), so
a Ctrl-C that lands there would be lost; `rileva()` raises it again where a command is about
to make its result final, and the `atlante` command checks it before exiting. `rinviati()` holds
both signals back while a short sequence of renames runs, so it completes or (on an error) is
rolled back, and delivers the signal after it; `bloccati_nel_fork()` and `importa_intero()` do
the same around a fork and around loading a library that mishandles an interruption. Forked
workers call `nel_figlio()`: they stop quietly and leave the message to the main process."""

from __future__ import annotations

import contextlib
import importlib
import os
import shutil
import signal
import sys
import threading
from pathlib import Path

SEGNALI = (signal.SIGINT, signal.SIGTERM)


class Interrotto(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C."""


_arrivato: list[int] = []  # the first SIGINT/SIGTERM received since installa()


def _eccezione(signum: int) -> KeyboardInterrupt:
    return Interrotto() if signum == signal.SIGTERM else KeyboardInterrupt()


def _interrompi(signum, frame):
    if not _arrivato:
        _arrivato.append(signum)
    raise _eccezione(signum)


def installa() -> None:
    if threading.current_thread() is threading.main_thread():
        _arrivato.clear()
        for s in SEGNALI:
            signal.signal(s, _interrompi)


def arrivato() -> bool:
    """Whether SIGINT/SIGTERM came since installa()."""
    return bool(_arrivato)


def rileva() -> None:
    """Raise the interruption if a signal came since installa(), even if the exception it raised
    was swallowed on the way."""
    if _arrivato:
        raise _eccezione(_arrivato[0])


def nel_figlio() -> None:
    for s in SEGNALI:
        signal.signal(s, lambda signum, frame: os._exit(128 + signum))
    signal.pthread_sigmask(signal.SIG_UNBLOCK, SEGNALI)  # held back by bloccati_nel_fork()


@contextlib.contextmanager
def bloccati_nel_fork():
    """Hold SIGINT/SIGTERM back while the block forks: a Ctrl-C landing in Python's at-fork
    handlers is printed as an ignored exception and lost, in the parent and in the child (which
    would run on with the parent's handlers). The parent raises it when the block ends
    (rinviati: the handler runs in the main thread even when another thread took the signal);
    the child starts with both signals masked and lets them through in nel_figlio(), once its
    own handlers are set."""
    precedente = signal.pthread_sigmask(signal.SIG_BLOCK, SEGNALI)
    try:
        with rinviati():
            yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, precedente)


@contextlib.contextmanager
def rinviati():
    """Run the block without interruption by SIGINT/SIGTERM; one that arrives meanwhile is
    handled when the block is over (in the command: raised as KeyboardInterrupt)."""
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
        # delivered again to the handler now in place: the command's raises the interruption,
        # a forked worker's (nel_figlio) ends the worker without a traceback
        signal.raise_signal(arrivati[0])


def importa_intero(nome: str):
    """Import `nome` with SIGINT/SIGTERM held back until it is loaded: numpy's C modules (under
    shapely), interrupted while loading, print the interruption's traceback themselves and turn
    it into an ImportError."""
    if nome in sys.modules:
        return sys.modules[nome]
    with rinviati():
        return importlib.import_module(nome)


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
