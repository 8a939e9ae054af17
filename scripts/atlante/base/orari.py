"""Opening hours in Italian words, from the OpenStreetMap `opening_hours` syntax.

The validator already checks the syntax (opening-hours-py); here we only turn the common
shapes into sentences a person reads ("da lunedì a venerdì: 9:00-12:30"). A rule we do not
understand is shown as written rather than guessed at.
"""

from __future__ import annotations

import datetime as dt
import re

from opening_hours import OpeningHours

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


# -- a compact weekly schedule for the finder's "aperto ora" ------------------------------------

_NON_SETTIMANALI = re.compile(
    r"\b(PH|SH|week|easter|sunrise|sunset|dawn|dusk|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b|\[|\""
)


def settimana_compatta(orari, oggi) -> str | None:
    """The week of an `opening_hours` value as the browser evaluates it, made with opening-hours-py.

    "0:540-750,840-1080|4:540-750": day (0 = Monday) and opening minutes since midnight, days with
    no opening left out. A leading "?" says the value has rules a weekly table cannot hold (public
    or school holidays, months, weeks, comments such as "su appuntamento", unknown states, weeks
    that differ): the finder then says "orario da verificare", never "chiuso". None when there are
    no hours or they do not parse (the validator reports those).
    """
    if not isinstance(orari, str) or not orari.strip():
        return None
    try:
        oh = OpeningHours(orari)
    except Exception:
        return None
    lunedi = dt.datetime.combine(oggi - dt.timedelta(days=oggi.weekday()), dt.time())
    settimane = []
    incerto = bool(_NON_SETTIMANALI.search(orari))
    for k in (0, 13, 26, 39):
        inizio = lunedi + dt.timedelta(weeks=k)
        fasce: dict[int, list[str]] = {}
        for a, b, stato, commento in oh.intervals(inizio, inizio + dt.timedelta(days=7)):
            nome = str(stato).rsplit(".", 1)[-1].upper()
            if nome == "UNKNOWN" or commento:
                incerto = True
            if nome != "OPEN":
                continue
            a = max(a, inizio)
            while a < b:  # split at midnight: each day holds its own minutes
                fine_giorno = dt.datetime.combine(a.date() + dt.timedelta(days=1), dt.time())
                c = min(b, fine_giorno)
                giorno = (a.date() - inizio.date()).days
                if 0 <= giorno < 7:
                    m0 = a.hour * 60 + a.minute
                    m1 = 1440 if c == fine_giorno else c.hour * 60 + c.minute
                    fasce.setdefault(giorno, []).append(f"{m0}-{m1}")
                a = c
        settimane.append("|".join(f"{g}:{','.join(f)}" for g, f in sorted(fasce.items())))
    if len(set(settimane)) > 1:
        incerto = True
    return ("?" if incerto else "") + settimane[0]
