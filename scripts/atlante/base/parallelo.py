"""Work spread over the machine's cores: per-item work (validation, import) with `mappa`, and
one call run beside the caller's own work with `InParallelo` (the build validates the data and
prepares the map while it generates the pages).

Workers are forked from the running process, so what they need (the project with its loaded
reference data and compiled validators) is inherited instead of pickled or loaded again.
Only the items and the results travel between processes.
"""

from __future__ import annotations

import os
import sys

from atlante.base.segnali import bloccati_nel_fork

_contesto = None  # set just before forking; the workers see it as it was then


def _interruzioni() -> dict:
    import signal

    from atlante.base.segnali import Interrotto

    uscite = {128 + signal.SIGINT: KeyboardInterrupt, 128 + signal.SIGTERM: Interrotto}
    return {**uscite, -signal.SIGINT: KeyboardInterrupt, -signal.SIGTERM: Interrotto}  # before nel_figlio


_USCITE_INTERROTTE = _interruzioni()  # exit codes of a child stopped by nel_figlio


def _figlio() -> None:
    from atlante.base.segnali import nel_figlio

    nel_figlio()


def _blocco(args) -> list:
    funzione, elementi = args
    return [funzione(_contesto, x) for x in elementi]


def mappa(funzione, contesto, elementi: list, minimo: int) -> list:
    """[funzione(contesto, x) for x in elementi], in the same order.

    With at least `minimo` items and more than one core the items go to worker processes in
    chunks; funzione must be a module-level function and items and results must pickle."""
    import multiprocessing as mp

    workers = min(os.cpu_count() or 1, 8)
    if len(elementi) < minimo or workers < 2 or "fork" not in mp.get_all_start_methods():
        return [funzione(contesto, x) for x in elementi]
    from concurrent.futures import ProcessPoolExecutor

    global _contesto
    size = max(200, len(elementi) // (workers * 4))
    chunks = [(funzione, elementi[i : i + size]) for i in range(0, len(elementi), size)]
    for stream in (sys.stdout, sys.stderr):  # a forked worker must not print our pending output again
        stream.flush()
    _contesto = contesto
    try:
        with ProcessPoolExecutor(workers, mp_context=mp.get_context("fork"), initializer=_figlio) as pool:
            with bloccati_nel_fork():  # the workers are forked at the first submission
                risultati = pool.map(_blocco, chunks)
            return [y for chunk in risultati for y in chunk]
    finally:
        _contesto = None


class InParallelo:
    """funzione(*args) in a forked process while the caller goes on; risultato() waits for its
    return value (or raises its exception). Without fork or with one core it runs at once, here.
    funzione must be a module-level function; its result must pickle."""

    def __init__(self, funzione, *args):
        import multiprocessing as mp

        self._fatto, self._esito, self._proc = False, None, None
        if "fork" not in mp.get_all_start_methods() or (os.cpu_count() or 1) < 2:
            self._fatto, self._esito = True, _chiama(funzione, args)
            return
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
        ctx = mp.get_context("fork")
        self._ricevi, invia = ctx.Pipe(duplex=False)
        # Not a daemon: the function may fork workers of its own (validation of many files).
        self._proc = ctx.Process(target=_esegui_e_invia, args=(funzione, args, invia), name="atlante-parallelo")
        with bloccati_nel_fork():
            self._proc.start()
        invia.close()

    def risultato(self):
        if not self._fatto:
            try:
                self._esito = self._ricevi.recv()
            except EOFError:
                self._esito = RuntimeError("il lavoro in parallelo si è interrotto senza risultato")
            finally:
                self._ricevi.close()
                self._proc.join()
            self._fatto = True
            if self._proc.exitcode in _USCITE_INTERROTTE:
                # Ctrl-C or SIGTERM reached the whole process group and the child stopped first
                # (nel_figlio): the caller is being interrupted too, not failing
                self._esito = _USCITE_INTERROTTE[self._proc.exitcode]()
        if isinstance(self._esito, BaseException):
            raise self._esito
        return self._esito

    def annulla(self) -> None:
        """Stop the process if its result is no longer wanted (the build failed meanwhile)."""
        if self._proc is not None and not self._fatto and self._proc.is_alive():
            self._proc.kill()
            self._proc.join()
            self._fatto, self._esito = True, RuntimeError("annullato")


def _chiama(funzione, args):
    try:
        return funzione(*args)
    except Exception as e:  # handed to risultato(), which raises it in the caller
        return e


def _esegui_e_invia(funzione, args, invia) -> None:
    _figlio()
    invia.send(_chiama(funzione, args))
    invia.close()
