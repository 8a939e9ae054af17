"""Opening hours in Italian words, from the OpenStreetMap `opening_hours` syntax.

The validator already checks the syntax (opening-hours-py); here we only turn the common
shapes into sentences a person reads ("da lunedì a venerdì: 9:00-12:30"). A rule we do not
understand is shown as written rather than guessed at.
"""

from __future__ import annotations

import re

GIORNI = {
    "Mo": "lunedì",
    "Tu": "martedì",
    "We": "mercoledì",
    "Th": "giovedì",
    "Fr": "venerdì",
    "Sa": "sabato",
    "Su": "domenica",
    "PH": "festivi",
    "SH": "vacanze scolastiche",
}
_GIORNO = r"(?:Mo|Tu|We|Th|Fr|Sa|Su|PH|SH)"
_SEL = re.compile(rf"^{_GIORNO}(?:-{_GIORNO})?(?:,{_GIORNO}(?:-{_GIORNO})?)*$")
_ORA = re.compile(r"^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})\+?$")


def _ora(h: str, m: str) -> str:
    return f"{int(h)}:{m}"


def _giorni(sel: str) -> str:
    parti = []
    for pezzo in sel.split(","):
        if "-" in pezzo:
            a, b = pezzo.split("-")
            parti.append(f"da {GIORNI[a]} a {GIORNI[b]}")
        else:
            parti.append(GIORNI[pezzo])
    testo = ", ".join(parti[:-1]) + (" e " if len(parti) > 1 else "") + parti[-1]
    return testo[0].upper() + testo[1:]


def _fasce(spec: str) -> str | None:
    spec = spec.strip()
    if spec in ("off", "closed"):
        return "chiuso"
    fasce = []
    for f in spec.split(","):
        m = _ORA.match(f.strip())
        if not m:
            return None
        fasce.append(f"{_ora(m[1], m[2])}-{_ora(m[3], m[4])}")
    return " e ".join(fasce)


def regola_in_italiano(regola: str) -> str:
    """One rule ("Mo-Fr 09:00-12:30,14:00-18:00") in words; the rule itself when unknown."""
    regola = regola.strip()
    if regola == "24/7":
        return "Sempre aperto"
    sel, _, resto = regola.partition(" ")
    if _SEL.match(sel) and resto:
        fasce = _fasce(resto)
        if fasce:
            return f"{_giorni(sel)}: {fasce}"
    fasce = _fasce(regola)  # times without days: every day
    if fasce and fasce != "chiuso":
        return f"Tutti i giorni: {fasce}"
    return regola


def orari_in_italiano(orari: str) -> list[str]:
    """One line per rule, in the order written (later OSM rules override earlier ones)."""
    if not isinstance(orari, str):
        return []
    return [regola_in_italiano(r) for r in orari.split(";") if r.strip()]


def orari_schema_org(orari: str) -> list[str]:
    """schema.org openingHours takes the same day abbreviations: one string per rule."""
    if not isinstance(orari, str):
        return []
    return [r.strip() for r in orari.split(";") if r.strip()]
