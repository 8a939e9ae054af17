"""Synthetic records for tests and benchmarks: marked `sintetico: true`, never published."""

from __future__ import annotations

import random
from pathlib import Path

import yaml

from atlante.lettura.progetto import TIPI, Progetto
from atlante.lettura.records import SCHEMA_LINE


def genera(progetto: Progetto, n: int, seed: int = 1) -> list[Path]:
    """Write n valid synthetic records (mixed kinds) into the project's data/enti/."""
    rnd = random.Random(seed)
    comuni = sorted(progetto.territorio.comuni.values(), key=lambda c: c.istat)
    temi = sorted(progetto.tassonomia("temi"))
    tipologie = sorted(progetto.tassonomia("udo_tipologie"))
    kinds = ["ets"] * 6 + ["udo", "udo", "biblioteca", "patto"]
    paths = []
    for i in range(n):
        tipo = TIPI[kinds[i % len(kinds)]]
        c = rnd.choice(comuni)
        rec: dict = {
            "nome": f"Ente sintetico {i:05d}",
            "descrizione": f"Scheda sintetica numero {i} per le prove.",
            "verificato_il": f"2026-{rnd.randint(1, 9):02d}-{rnd.randint(1, 28):02d}",
            "temi": rnd.sample(temi, 2),
            "fonte": "generatore di dati sintetici",
            "sintetico": True,
        }
        if tipo.id == "patto":
            rec["comuni"] = [c.nome, rnd.choice(comuni).nome] if i % 3 else [c.nome]
            rec["comuni"] = sorted(set(rec["comuni"]))
            rec["periodo"] = {"inizio": "2025-01-01", "fine": "2026-12-31"}
            rec["stato"] = "in_corso"
        else:
            rec["comune"] = c.nome
            rec["cap"] = c.cap[0] if c.cap else None
            if i % 2:  # half exact (the comune's interior point), half approximate
                rec["posizione"] = {"lat": c.lat, "lon": c.lon}
            rec["contatti"] = {"telefono": f"0373 {200000 + i % 800000:06d}", "email": f"ente{i}@example.org"}
        if tipo.id == "udo":
            rec["tipologia"] = rnd.choice(tipologie)
            rec["posti"] = rnd.randint(5, 60)
            rec["stato"] = "attiva"
        if tipo.id == "biblioteca":
            rec["tipo"] = "biblioteca"
        rec = {k: v for k, v in rec.items() if v is not None}
        path = progetto.enti_dir / tipo.cartella / f"sintetico-{i:05d}.yml"
        path.parent.mkdir(parents=True, exist_ok=True)
        text = SCHEMA_LINE.format(schema=tipo.schema) + "\n" + yaml.safe_dump(rec, allow_unicode=True, sort_keys=False)
        # yaml.safe_dump quotes dates as strings; records carry plain dates
        path.write_text(
            text.replace("'2025-01-01'", "2025-01-01").replace("'2026-12-31'", "2026-12-31"), encoding="utf-8"
        )
        paths.append(path)
    return paths
