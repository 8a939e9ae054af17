"""Benchmark: `atlante import` of N generated rows into a temporary project (a command, not a test).

Usage: python scripts/bench_import.py [N] [--volte K]   (default: 10000 rows, once)
       python scripts/bench_import.py --nazionale [N]   (default: 70000 rows)
Target (issue 9): 10,000 rows imported in under 10 s.
Target (issue 15): a national file of 70,000 rows in the format of the 5 per mille list, filtered
to the Ambito with the committed mapping file and --prova, in under 15 s. Its Ambito rows are
the shipped ETS records (name, tax code, comune: all must be recognised, none created), the
others belong to synthetic comuni of other provinces ("fuori ambito") or are sports clubs and
comuni (left out by the mapping's filter). With --volte K the first import is run K
times on fresh copies and the best and median times are printed. The load average is printed too:
on a shared machine a loaded run says little about the code.
The rows are written as Italian Excel saves a CSV (Windows-1252, ';'), with synthetic,
clearly fake names built from word combinations, so that names differ as real ones do.
The timing covers the whole command: reading, matching, staged validation and writing.
A second import of the same file is timed too: it must find every row unchanged.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from atlante.lettura.progetto import Progetto  # noqa: E402

_A = ["Associazione", "Gruppo", "Circolo", "Comitato", "Cooperativa", "Fondazione", "Centro", "Unione"]
_B = ["Prova", "Esempio", "Fittizio", "Campione", "Sintetico", "Modello"]
_C = [
    "Aurora",
    "Borgo",
    "Castagno",
    "Delfino",
    "Edera",
    "Faro",
    "Girasole",
    "Iris",
    "Larice",
    "Mulino",
    "Noce",
    "Olmo",
    "Pioppo",
    "Quercia",
    "Rondine",
    "Salice",
    "Tiglio",
    "Vela",
    "Zefiro",
    "Airone",
]
_SEZ = ["Organizzazioni di volontariato", "APS", "", "Enti filantropici", "non iscritto"]


def genera_csv(path: Path, n: int, comuni: list[str], seed: int = 7) -> None:
    rnd = random.Random(seed)
    righe = ["Denominazione;Comune;Indirizzo;CAP;Telefono;E-mail;Sito web;Sezione RUNTS;N. repertorio;Attività;Note"]
    for i in range(n):
        nome = f"{rnd.choice(_A)} {rnd.choice(_B)} {rnd.choice(_C)} {rnd.choice(_C)} {i}"
        sez = _SEZ[i % len(_SEZ)]
        rep = str(10000 + i) if sez and sez != "non iscritto" else ""
        righe.append(
            f"{nome};{rnd.choice(comuni)};Via Prova {i % 200 + 1};;0373 {200000 + i:06d};"
            f"ente{i}@example.org;www.ente{i}.example.org;{sez};{rep};ascolto, trasporto;riga {i}"
        )
    path.write_bytes(("\r\n".join(righe) + "\r\n").encode("cp1252"))


def _run(dest: Path, src: Path, *extra: str) -> tuple[float, str]:
    start = time.perf_counter()
    res = subprocess.run(
        [sys.executable, "-m", "atlante", "--root", str(dest), "import", str(src), "--tipo", "ets", *extra],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT / "scripts"), "PATH": "/usr/bin:/bin"},
    )
    elapsed = time.perf_counter() - start
    if res.returncode != 0:
        sys.exit(f"importazione fallita:\n{res.stdout[-3000:]}{res.stderr[-2000:]}")
    return elapsed, res.stdout.strip().splitlines()[-2]


OBIETTIVO_RIGHE, OBIETTIVO_S = 10_000, 10.0
NAZIONALE_RIGHE, NAZIONALE_S = 70_000, 15.0
_INTESTAZIONE_5X1000 = (
    "prog,codice_fiscale,denominazione,regione,pr,nome_comune,codice_comune,ets_e_onlus,asd,ricerca_scientifica,"
    "ricerca_sanitaria,comuni,beni_culturali_e_paesaggistici,enti_gestori_aree_protette,numero_scelte,"
    "importo_delle_scelte_espresse,importo_proporzionale_per_le_scelte_generiche,"
    "importo_proporzionale_per_ripartizione_importi_inferiori_a_100,importo_totale_erogabile,pagina,file,old_nome_comune"
)


def genera_nazionale(path: Path, n: int, progetto: Progetto, seed: int = 7) -> int:
    """A national-format file: the shipped ETS records among n rows of other comuni. Returns
    how many rows are of the Ambito."""
    import csv

    from atlante.lettura.records import load_records

    rnd = random.Random(seed)
    terr = progetto.territorio
    nostri = [
        r.data
        for r in load_records(progetto)
        if r.tipo and r.tipo.id == "ets" and r.data.get("codice_fiscale") and terr.trova(r.data.get("comune"))
    ]
    righe = []
    for d in nostri:
        c = terr.trova(d["comune"])
        righe.append([d["codice_fiscale"], d["nome"].upper(), c.nome.upper(), c.istat, "X", "", ""])
    for i in range(n - len(righe)):
        # ISTAT codes of other provinces (001-111 but 019, Cremona): never a comune of the Ambito
        prov = rnd.choice([p for p in range(1, 112) if p != 19])
        codice = f"{prov:03d}{rnd.randint(1, 300):03d}"
        tipo = rnd.random()
        righe.append(
            [
                f"9{i:010d}",
                f"{rnd.choice(_A)} {rnd.choice(_B)} {rnd.choice(_C)} {i}".upper(),
                f"COMUNE PROVA {codice}",
                codice,
                "X" if tipo < 0.7 else "",
                "X" if 0.7 <= tipo < 0.9 else "",
                "X" if tipo >= 0.9 else "",
            ]
        )
    rnd.shuffle(righe)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(_INTESTAZIONE_5X1000.split(","))
        for k, (cf, nome, comune, codice, ets, asd, com) in enumerate(righe, 1):
            w.writerow(
                [k, cf, nome, "REGIONE", "PR", comune, codice, ets, asd, "", "", com, "", "", 10]
                + ["100.00", "1.00", "0.10", "101.10", 1, "P01.pdf", comune]
            )
    return len(nostri)


def nazionale(n: int) -> None:
    print(f"{n} righe in formato nazionale (5 per mille), {_carico()}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        dest = Path(tmp) / "p"
        shutil.copytree(ROOT / "data", dest / "data")
        shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
        src = dest / "cinque_per_mille_nazionale.csv"
        nell_ambito = genera_nazionale(src, n, Progetto(dest))
        mappatura = dest / "data" / "importazioni" / "cinque-per-mille-2022.yml"
        start = time.perf_counter()
        res = subprocess.run(
            [sys.executable, "-m", "atlante", "--root", str(dest), "import", str(src)]
            + ["--mappatura", str(mappatura), "--prova"],
            capture_output=True,
            text=True,
            env={"PYTHONPATH": str(ROOT / "scripts"), "PATH": "/usr/bin:/bin"},
        )
        elapsed = time.perf_counter() - start
    if res.returncode != 0:
        sys.exit(f"importazione fallita:\n{res.stdout[-3000:]}{res.stderr[-2000:]}")
    riepilogo = next(ln for ln in res.stdout.splitlines() if ln.startswith("Riepilogo:"))
    print(f"{n} righe ({nell_ambito} dell'Ambito), --prova: {elapsed:.2f} s — {riepilogo}")
    atteso = f"0 creati, 0 aggiornati, {nell_ambito} invariati"
    if atteso not in riepilogo:
        sys.exit(f"risultato inatteso: serviva '{atteso}'")
    print(_carico())
    if n == NAZIONALE_RIGHE:
        esito = "raggiunto" if elapsed < NAZIONALE_S else "NON raggiunto"
        print(f"obiettivo {NAZIONALE_RIGHE} righe nazionali in meno di {NAZIONALE_S:.0f} s: {esito} ({elapsed:.2f} s)")


def _carico() -> str:
    return "carico medio " + " ".join(f"{x:.2f}" for x in os.getloadavg()) + f" ({os.cpu_count()} core)"


def main(n: int, volte: int = 1) -> None:
    print(f"{n} righe, {_carico()}", flush=True)
    tempi = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(volte):
            dest = Path(tmp) / f"p{i}"
            shutil.copytree(ROOT / "data", dest / "data")
            shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
            comuni = sorted(c.nome for c in Progetto(dest).territorio.comuni.values())
            src = dest / "mappatura.csv"
            genera_csv(src, n, comuni)
            t1, riepilogo1 = _run(dest, src)
            tempi.append(t1)
            print(f"{n} righe, prima importazione: {t1:.2f} s ({t1 / n * 1000:.3f} ms/riga) — {riepilogo1}", flush=True)
            if i == 0:
                t2, riepilogo2 = _run(dest, src, "--aggiorna")
                print(f"{n} righe, seconda importazione (--aggiorna): {t2:.2f} s — {riepilogo2}", flush=True)
            # copies are removed only at the end: on ext4 creating files right after deleting
            # thousands is several times slower (new inodes skip the recently freed ones)
    best = min(tempi)
    if volte > 1:
        print(f"prima importazione su {volte} prove: migliore {best:.2f} s, mediana {statistics.median(tempi):.2f} s")
    print(_carico())
    if n == OBIETTIVO_RIGHE:
        esito = "raggiunto" if best < OBIETTIVO_S else "NON raggiunto"
        print(f"obiettivo {OBIETTIVO_RIGHE} righe in meno di {OBIETTIVO_S:.0f} s: {esito} ({best:.2f} s)")
    else:
        print(f"obiettivo: {OBIETTIVO_RIGHE} righe in meno di {OBIETTIVO_S:.0f} s (misuralo con N={OBIETTIVO_RIGHE})")


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description="tempo di `atlante import` su N righe generate")
    ap.add_argument("n", nargs="?", type=int, default=OBIETTIVO_RIGHE, help="righe (predefinito 10000)")
    ap.add_argument("--volte", type=int, default=1, help="ripeti la prima importazione K volte")
    ap.add_argument(
        "--nazionale", action="store_true", help="file nazionale (5 per mille) filtrato all'Ambito con --prova"
    )
    a = ap.parse_args()
    if a.nazionale:
        nazionale(a.n if a.n != OBIETTIVO_RIGHE else NAZIONALE_RIGHE)
    else:
        main(a.n, a.volte)
