"""The bodies and their meetings: data/organi.yml (compositions now and over time, the sedute the
sources name) joined with the verbali published under content/verbali/.

A seduta is held whether or not its verbale is on the site: the Piano di Zona measures
"% verbali presenti sul sito" over the sedute held, so both come from here.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from atlante.lettura.verbali import Verbale


@dataclass(frozen=True)
class Seduta:
    organo: str
    data: dt.date
    verbale: Verbale | None  # the published verbale of this seduta, if any
    oggetto: str | None = None
    fonte: str | None = None


def _data(valore) -> dt.date | None:
    if isinstance(valore, dt.date):
        return valore
    try:
        return dt.date.fromisoformat(str(valore))
    except ValueError:
        return None


def sedute_per_organo(organi: dict, verbali: list[Verbale]) -> dict[str, list[Seduta]]:
    """organo id -> its sedute, newest first: those in data/organi.yml and those with a verbale."""
    per_verbale = {(v.organo, v.data): v for v in verbali}
    out: dict[str, list[Seduta]] = defaultdict(list)
    visti = set()
    for oid, o in organi.items():
        for s in o.get("sedute") or []:
            quando = _data(s.get("data"))
            if quando is None:
                continue
            visti.add((oid, quando))
            out[oid].append(Seduta(oid, quando, per_verbale.get((oid, quando)), s.get("oggetto"), s.get("fonte")))
    for (oid, quando), v in per_verbale.items():
        if (oid, quando) not in visti:
            out[oid].append(Seduta(oid, quando, v))
    for elenco in out.values():
        elenco.sort(key=lambda s: s.data, reverse=True)
    return dict(out)


def composizioni(organo: dict) -> tuple[dict | None, list[dict]]:
    """The current composition ({composizione, fonte}) if a source states it, and the earlier ones."""
    attuale = (
        {"composizione": organo["composizione"], "fonte": organo.get("fonte")} if organo.get("composizione") else None
    )
    storia = sorted(organo.get("storia") or [], key=lambda s: str(s.get("dal") or ""), reverse=True)
    return attuale, storia
