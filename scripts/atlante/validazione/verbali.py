"""Checks of a verbale: its front matter against data/schemas/verbale.schema.json (fields, types,
allowed values, required ones), then what a schema cannot say (the organo exists, times and dates
agree, votes add up, allegati exist, a reserved verbale has no text), reported as
`path:line:col: campo: messaggio`."""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
from pathlib import Path, PurePosixPath

from atlante.base.problems import Problem
from atlante.lettura.frontmatter import Controllo, PaginaFM, ora, scelto
from atlante.lettura.progetto import Progetto
from atlante.lettura.verbali import NUMERI_VOTO, SCHEMA, file_verbali, leggi_verbale
from atlante.validazione.schema_pagine import controlla_schema
from atlante.validazione.testo import controlla_testi


def controlla_verbale(progetto: Progetto, pagina: PaginaFM) -> list[Problem]:
    c = Controllo(pagina)
    d = pagina.data
    if not d:
        return c.problems
    c.problems.extend(controlla_schema(progetto, SCHEMA, pagina))
    controlla_testi(c, pagina)
    organo = d.get("organo")
    if isinstance(organo, str) and organo and organo not in progetto.organi:
        close = difflib.get_close_matches(organo, list(progetto.organi), n=1)
        c.add(
            ("organo",),
            f"organo sconosciuto '{organo}'",
            f"forse intendevi '{close[0]}'?" if close else "gli organi sono elencati in data/organi.yml",
        )
    data = _data(d.get("data"))
    inizio = _ora(c, d, "ora_inizio")
    fine = _ora(c, d, "ora_fine")
    if inizio and fine and fine <= inizio:
        c.add(("ora_fine",), f"l'ora di fine ({fine}) non è dopo l'ora di inizio ({inizio})")
    conv = d.get("convocazione")
    quando = _data(conv.get("data")) if isinstance(conv, dict) else None
    if quando and data and quando > data:
        c.add(
            ("convocazione", "data"),
            f"la convocazione ({quando.isoformat()}) è successiva alla seduta ({data.isoformat()})",
        )
    presenti = d.get("presenti")
    _ordine_del_giorno(c, d, len(presenti) if isinstance(presenti, list) else 0)
    riservato = d.get("visibilita") == "riservato"
    _allegati(c, d, pagina.path.parent, riservato)
    if riservato and pagina.corpo.strip():
        c.add(
            (),
            "un verbale riservato non può avere testo nel repository pubblico",
            "lascia solo l'intestazione; il testo va nella cartella dei riservati (ATLANTE_RISERVATI_DIR)",
            riga=pagina.riga_corpo + _prima_riga_piena(pagina.corpo),
        )
    return c.problems


def _data(valore) -> dt.date | None:
    try:
        return dt.date.fromisoformat(valore) if isinstance(valore, str) else None
    except ValueError:
        return None  # the schema has said it is not a date


def _prima_riga_piena(testo: str) -> int:
    for i, line in enumerate(testo.splitlines()):
        if line.strip():
            return i
    return 0


def _ora(c: Controllo, d: dict, key: str) -> str | None:
    if d.get(key) in (None, ""):
        return None  # required or not: the schema's business
    value = ora(d[key])
    if value is None:
        c.add((key,), f"ora non valida: '{d[key]}'", 'scrivi l\'ora come "HH:MM", es. "14:00"')
    return value


def _ordine_del_giorno(c: Controllo, d: dict, presenti: int) -> None:
    odg = d.get("ordine_del_giorno")
    for i, punto in enumerate(odg if isinstance(odg, list) else []):
        if not isinstance(punto, dict):
            continue
        kp = ("ordine_del_giorno", i)
        voti = []
        if isinstance(punto.get("votazione"), dict):
            voti.append((kp + ("votazione",), punto["votazione"]))
        if isinstance(punto.get("votazioni"), list):
            voti += [(kp + ("votazioni", j), x) for j, x in enumerate(punto["votazioni"]) if isinstance(x, dict)]
        for vkp, voto in voti:
            _votazione(c, vkp, voto, presenti)


def _votazione(c: Controllo, kp: tuple, voto: dict, presenti: int) -> None:
    """favorevoli + contrari + astenuti = votanti (when given), and never more than the presenti."""
    numeri = {k: v for k in NUMERI_VOTO if isinstance(v := voto.get(k), int) and not isinstance(v, bool) and v >= 0}
    somma = sum(numeri.get(k, 0) for k in ("favorevoli", "contrari", "astenuti"))
    votanti = numeri.get("votanti")
    if votanti is not None and somma != votanti:
        c.add(kp, f"favorevoli + contrari + astenuti = {somma}, ma i votanti sono {votanti}")
    elif presenti and max(somma, votanti or 0) > presenti:
        c.add(
            kp,
            f"{max(somma, votanti or 0)} voti, ma i presenti sono {presenti}",
            "controlla i numeri o l'elenco dei presenti",
        )


def _allegati(c: Controllo, d: dict, cartella: Path, riservato: bool) -> None:
    allegati = d.get("allegati")
    for i, a in enumerate(allegati if isinstance(allegati, list) else []):
        kp = ("allegati", i)
        if not isinstance(a, dict):
            continue
        if riservato:
            if a.get("file") is not None:
                c.add(
                    kp + ("file",),
                    "l'allegato di un verbale riservato non va nel repository pubblico",
                    "lascia solo il titolo; il file resta all'Ufficio di Piano",
                )
            continue
        if not isinstance(a.get("file"), str) or not a["file"]:
            c.add(kp, "ogni allegato ha 'titolo' e 'file'")
            continue
        rel = PurePosixPath(a["file"])
        if rel.is_absolute() or ".." in rel.parts:
            c.add(kp + ("file",), f"l'allegato deve stare nella cartella del verbale: '{a['file']}'")
        elif not (cartella / rel).is_file():
            c.add(
                kp + ("file",),
                f"allegato inesistente: '{a['file']}'",
                f"metti il file in {cartella.name}/{rel} accanto al verbale",
            )


def valida_verbali(progetto: Progetto, wanted) -> list[Problem]:
    out = []
    for f in file_verbali(progetto):
        if not scelto(f, wanted):
            continue
        pagina = leggi_verbale(progetto, f)
        out.extend(come_bozza(pagina, controlla_verbale(progetto, pagina)))
    return out


def come_bozza(pagina: PaginaFM, problemi: list[Problem]) -> list[Problem]:
    """A draft (`bozza: true`) is never published: its problems are warnings, so the build goes on
    without it; `atlante validate` still lists them, for the editor who completes it."""
    if pagina.data.get("bozza") is not True:
        return problemi
    return [dataclasses.replace(p, livello="avviso", messaggio=f"(bozza) {p.messaggio}") for p in problemi]
