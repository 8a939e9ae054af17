"""The known sources of the data (data/fonti.yml) and which of them a record's `fonte` names.

A record's `fonte` is free text written by people and importers; each known source lists the
words that name it (`riconosci`), matched as whole words, case-insensitively. Pages show the
licence and attribution of every source a record names; a test requires at least one per record.
"""

from __future__ import annotations

import re
from functools import lru_cache

from atlante.lettura.progetto import Progetto


@lru_cache(maxsize=8)
def _modelli(progetto: Progetto) -> list[tuple[dict, re.Pattern]]:
    out = []
    for f in progetto.fonti:
        parole = [re.escape(p) for p in f.get("riconosci") or []]
        if parole:
            out.append((f, re.compile(r"(?<!\w)(?:" + "|".join(parole) + r")(?!\w)", re.I)))
    return out


def fonti_citate(progetto: Progetto, fonte) -> list[dict]:
    """The known sources named in a `fonte` text, in the order of data/fonti.yml."""
    if not isinstance(fonte, str) or not fonte.strip():
        return []
    return [f for f, m in _modelli(progetto) if m.search(fonte)]
