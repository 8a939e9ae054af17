"""Benchmark of the site build: synthetic sites of N records against a bare Material site.

    python scripts/bench_sito.py [N ...]        (default: 1000 2000 5000)

The site columns of `atlante bench` (atlante/bench.py, the one implementation): for each N, a copy
of the project with N synthetic records built by `mkdocs build` (ATLANTE_SINTETICI=1: synthetic
records are published in that build only) and a bare Material site with N plain pages, out of the
nav like our record pages. Prints wall and CPU time (the build without the search index, and
Pagefind's indexing apart), their ratios, peak memory, site size and the largest record page.
Targets: issue 18 (printed by `atlante bench`), record pages <= 60 KB.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from atlante.strumenti.bench import esegui  # noqa: E402

COLONNE = [
    "schede",
    "build_s",
    "build_cpu_s",
    "indicizzazione_s",
    "material_nudo_s",
    "rapporto_build",
    "rapporto_cpu",
    "rapporto_cpu_con_indice",
    "memoria_mb",
    "sito_mb",
    "scheda_piu_grande_kb",
    "indice_ricerca_byte_per_scheda",
]


def main(argv: list[str]) -> int:
    esegui(ROOT, [int(a) for a in argv] or [1000, 2000, 5000], None, colonne=COLONNE, browser=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
