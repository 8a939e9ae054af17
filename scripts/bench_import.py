"""Benchmark: `atlante import` of N generated rows into a temporary project (a command, not a test).

Usage: python scripts/bench_import.py [N]   (default: 10000; target: under 10 s)
The rows are written as Italian Excel saves a CSV (Windows-1252, ';'), with synthetic,
clearly fake names built from word combinations, so that names differ as real ones do.
The timing covers the whole command: reading, matching, staged validation and writing.
A second import of the same file is timed too: it must find every row unchanged.
"""
from __future__ import annotations

import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from atlante.progetto import Progetto  # noqa: E402

_A = ["Associazione", "Gruppo", "Circolo", "Comitato", "Cooperativa", "Fondazione", "Centro", "Unione"]
_B = ["Prova", "Esempio", "Fittizio", "Campione", "Sintetico", "Modello"]
_C = ["Aurora", "Borgo", "Castagno", "Delfino", "Edera", "Faro", "Girasole", "Iris", "Larice", "Mulino",
      "Noce", "Olmo", "Pioppo", "Quercia", "Rondine", "Salice", "Tiglio", "Vela", "Zefiro", "Airone"]
_SEZ = ["Organizzazioni di volontariato", "APS", "", "Enti filantropici", "non iscritto"]


def genera_csv(path: Path, n: int, comuni: list[str], seed: int = 7) -> None:
    rnd = random.Random(seed)
    righe = ["Denominazione;Comune;Indirizzo;CAP;Telefono;E-mail;Sito web;Sezione RUNTS;N. repertorio;Attività;Note"]
    for i in range(n):
        nome = f"{rnd.choice(_A)} {rnd.choice(_B)} {rnd.choice(_C)} {rnd.choice(_C)} {i}"
        sez = _SEZ[i % len(_SEZ)]
        rep = str(10000 + i) if sez and sez != "non iscritto" else ""
        righe.append(f"{nome};{rnd.choice(comuni)};Via Prova {i % 200 + 1};;0373 {200000 + i:06d};"
                     f"ente{i}@example.org;www.ente{i}.example.org;{sez};{rep};ascolto, trasporto;riga {i}")
    path.write_bytes(("\r\n".join(righe) + "\r\n").encode("cp1252"))


def _run(dest: Path, src: Path, *extra: str) -> tuple[float, str]:
    start = time.perf_counter()
    res = subprocess.run([sys.executable, "-m", "atlante", "--root", str(dest), "import", str(src), "--tipo", "ets",
                          *extra], capture_output=True, text=True,
                         env={"PYTHONPATH": str(ROOT / "scripts"), "PATH": "/usr/bin:/bin"})
    elapsed = time.perf_counter() - start
    if res.returncode != 0:
        sys.exit(f"importazione fallita:\n{res.stdout[-3000:]}{res.stderr[-2000:]}")
    return elapsed, res.stdout.strip().splitlines()[-2]


def main(n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        dest = Path(tmp)
        shutil.copytree(ROOT / "data", dest / "data")
        shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
        comuni = sorted(c.nome for c in Progetto(dest).territorio.comuni.values())
        src = dest / "mappatura.csv"
        genera_csv(src, n, comuni)
        t1, riepilogo1 = _run(dest, src)
        print(f"{n} righe, prima importazione: {t1:.2f} s ({t1 / n * 1000:.3f} ms/riga) — {riepilogo1}", flush=True)
        t2, riepilogo2 = _run(dest, src, "--aggiorna")
        print(f"{n} righe, seconda importazione (--aggiorna): {t2:.2f} s — {riepilogo2}")
        print("obiettivo < 10 s: " + ("raggiunto" if t1 < 10 else "NON raggiunto"))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10000)
