"""Independent per-item work spread over the machine's cores (validation, import).

Workers are forked from the running process, so what they need (the project with its loaded
reference data and compiled validators) is inherited instead of pickled or loaded again.
Only the items and the results travel between processes.
"""
from __future__ import annotations

import os
import sys

_contesto = None  # set just before forking; the workers see it as it was then


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
    chunks = [(funzione, elementi[i:i + size]) for i in range(0, len(elementi), size)]
    for stream in (sys.stdout, sys.stderr):  # a forked worker must not print our pending output again
        stream.flush()
    _contesto = contesto
    try:
        with ProcessPoolExecutor(workers, mp_context=mp.get_context("fork")) as pool:
            return [y for chunk in pool.map(_blocco, chunks) for y in chunk]
    finally:
        _contesto = None
