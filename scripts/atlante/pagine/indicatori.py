"""The network indicators of the Piano di Zona, computed from the published records.

Pure functions over a Contesto: the page "La rete in numeri" renders them and the tests
check them against figures counted by hand. The PdZ measures the site by soggetti censiti,
aggiornamenti annuali della mappatura and % verbali presenti sul sito (seed 004:9400-9432);
the Patto d'Ambito 2023 reported soggetti per sub-ambito and RUNTS section (004:2256-2300).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from atlante.lettura.progetto import TIPI
from atlante.lettura.records import Record
from atlante.lettura.verbali import carica_verbali
from atlante.modello.campi import etichette as etichette_campi
from atlante.modello.fonti import fonti_citate
from atlante.modello.organi import sedute_per_organo
from atlante.modello.schede import pubblicata
from atlante.pagine.impaginazione import come_data

# Kinds that are "soggetti" (places and bodies in a comune); patti are agreements among them.
TIPI_SOGGETTI = ("ets", "biblioteca", "udo")


def pubblicati(ctx) -> list[Record]:
    """Records that may reach any page or export: never the synthetic ones (once per build: two
    dozen indicators and exports ask)."""
    return ctx.memo("pubblicati", lambda: [r for r in ctx.records if pubblicata(r)])


def per_mille(n: int, residenti: int) -> float | None:
    return round(n * 1000 / residenti, 2) if residenti else None


@dataclass
class Riga:
    """One row of an indicator table: a label, a count and optional extra figures."""

    chiave: str
    etichetta: str
    n: int
    extra: dict = field(default_factory=dict)


def per_tipo(ctx) -> list[Riga]:
    conta = Counter(r.tipo.id for r in pubblicati(ctx))
    return [Riga(t.id, t.etichetta_plurale, conta.get(t.id, 0)) for t in TIPI.values()]


def per_fonte(ctx) -> list[Riga]:
    """Published records by the known source their `fonte` names (data/fonti.yml); a record that
    names two sources counts for both, one that names none is counted apart."""
    recs = pubblicati(ctx)
    conta: Counter = Counter()
    senza = 0
    for r in recs:
        citate = fonti_citate(ctx.progetto, r.get("fonte"))
        conta.update(f["id"] for f in citate)
        senza += not citate
    righe = [
        Riga(f["id"], f["titolo"], conta[f["id"]], {"licenza": f.get("licenza", "")})
        for f in ctx.progetto.fonti
        if conta[f["id"]]
    ]
    if senza:
        righe.append(Riga("nessuna", "Nessuna fonte nota", senza))
    return righe


def _istat(ctx, r: Record) -> str | None:
    c = ctx.scheda(r).comune
    return c.istat if c else None


def soggetti(ctx) -> list[Record]:
    """Published ETS, biblioteche and UdO; a cessata UdO is no longer a soggetto of the network."""
    return [
        r
        for r in pubblicati(ctx)
        if r.tipo.id in TIPI_SOGGETTI and not (r.tipo.id == "udo" and r.get("stato") == "cessata")
    ]


def per_comune(ctx) -> list[Riga]:
    """Every comune of the Ambito (zeros included), with soggetti per 1,000 residents."""
    conta = Counter(_istat(ctx, r) for r in soggetti(ctx))
    righe = []
    for c in sorted(ctx.territorio.comuni.values(), key=lambda c: c.nome):
        n = conta.get(c.istat, 0)
        righe.append(Riga(c.istat, c.nome, n, {"residenti": c.residenti, "per_mille": per_mille(n, c.residenti)}))
    return righe


def per_sub_ambito(ctx) -> list[Riga]:
    conta = Counter(_istat(ctx, r) for r in soggetti(ctx))
    righe = []
    for s in sorted(ctx.territorio.sub_ambiti.values(), key=lambda s: s.numero):
        n = sum(conta.get(code, 0) for code in s.comuni)
        res = sum(ctx.territorio.comuni[code].residenti for code in s.comuni)
        righe.append(Riga(s.id, s.nome, n, {"residenti": res, "per_mille": per_mille(n, res)}))
    return righe


def ets_runts(ctx) -> list[Riga]:
    """ETS by RUNTS section, then non iscritti, then those whose position is not recorded."""
    sezioni = ctx.progetto.tassonomia("runts_sezioni")
    conta: Counter = Counter()
    for r in pubblicati(ctx):
        if r.tipo.id != "ets":
            continue
        runts = r.get("runts")
        if not isinstance(runts, dict) or not isinstance(runts.get("iscritto"), bool):
            conta["non_indicato"] += 1
        elif runts["iscritto"]:
            conta[runts.get("sezione") if runts.get("sezione") in sezioni else "sezione_non_indicata"] += 1
        else:
            conta["non_iscritti"] += 1
    righe = [
        Riga(k, f"{v.get('lettera', '')}) {v['nome']}".strip(), conta.get(k, 0), {"iscritto": True})
        for k, v in sezioni.items()
    ]
    if conta.get("sezione_non_indicata"):
        righe.append(
            Riga(
                "sezione_non_indicata",
                "Iscritti, sezione non indicata",
                conta["sezione_non_indicata"],
                {"iscritto": True},
            )
        )
    righe.append(Riga("non_iscritti", "Non iscritti al RUNTS", conta.get("non_iscritti", 0), {"iscritto": False}))
    righe.append(Riga("non_indicato", "Iscrizione non indicata", conta.get("non_indicato", 0), {"iscritto": None}))
    return righe


def udo_per_area(ctx) -> list[Riga]:
    """UdO not cessate, by rete and area (from the tipologia), with their posti."""
    tip = ctx.progetto.tassonomia("udo_tipologie")
    gruppi: dict[tuple, dict] = defaultdict(lambda: {"n": 0, "posti": 0, "senza_posti": 0})
    for r in pubblicati(ctx):
        if r.tipo.id != "udo" or r.get("stato") == "cessata":
            continue
        t = tip.get(r.get("tipologia"), {})
        g = gruppi[(t.get("rete", "non indicata"), t.get("area", "non indicata"))]
        g["n"] += 1
        posti = r.get("posti")
        if isinstance(posti, int) and not isinstance(posti, bool):
            g["posti"] += posti
        else:
            g["senza_posti"] += 1
    return [
        Riga(
            f"{rete}/{area}",
            f"{rete} – {area}",
            g["n"],
            {"rete": rete, "area": area, "posti": g["posti"], "senza_posti": g["senza_posti"]},
        )
        for (rete, area), g in sorted(gruppi.items())
    ]


def _per_valore(ctx, tipo: str, campo: str) -> list[Riga]:
    """Records of a kind counted by the values of one field, named as the schema names them."""
    etichette = etichette_campi(ctx.progetto, TIPI[tipo]).get(campo, {})
    conta = Counter(r.get(campo) if r.get(campo) in etichette else None for r in pubblicati(ctx) if r.tipo.id == tipo)
    righe = [Riga(k, v, conta.get(k, 0)) for k, v in etichette.items()]
    if conta.get(None):
        righe.append(Riga("non_indicato", "Non indicato", conta[None]))
    return righe


def biblioteche(ctx) -> list[Riga]:
    return _per_valore(ctx, "biblioteca", "tipo")


def patti(ctx) -> list[Riga]:
    return _per_valore(ctx, "patto", "stato")


def freschezza(ctx, mesi: int = 12) -> dict:
    """Share of published records confirmed in the last `mesi` months (PdZ: frequenza di aggiornamento)."""
    oggi = ctx.oggi
    anni, resto = divmod(oggi.month - 1 - mesi, 12)
    anno, mese = oggi.year + anni, resto + 1
    soglia = dt.date(anno, mese, min(oggi.day, calendar.monthrange(anno, mese)[1]))
    recs = pubblicati(ctx)
    recenti = sum(1 for r in recs if (d := come_data(r.get("verificato_il"))) and d >= soglia)
    return {
        "totale": len(recs),
        "recenti": recenti,
        "soglia": soglia,
        "quota": round(100 * recenti / len(recs), 1) if recs else None,
    }


def _git_aggiornamenti(ctx) -> dict[int, dict] | None:
    """Commits touching data/enti per year, and distinct record files changed: None without git history."""
    anni: dict[int, dict] = {}
    commit_contati = set()
    for m in ctx.storia_git or []:
        anno = anni.setdefault(m.quando.year, {"modifiche": 0, "schede": set()})
        if m.commit not in commit_contati:
            commit_contati.add(m.commit)
            anno["modifiche"] += 1
        if m.path.endswith(".yml"):
            anno["schede"].add(m.path)
    return anni or None


def aggiornamenti(ctx) -> dict:
    """Updates of the mapping per year: from git when the project has history, else from verificato_il."""
    anni = _git_aggiornamenti(ctx)
    if anni:
        righe = [Riga(str(a), str(a), v["modifiche"], {"schede": len(v["schede"])}) for a, v in sorted(anni.items())]
        return {"fonte": "git", "righe": righe}
    conta = Counter(d.year for r in pubblicati(ctx) if (d := come_data(r.get("verificato_il"))))
    return {
        "fonte": "verificato_il",
        "righe": [Riga(str(a), str(a), n, {"schede": n}) for a, n in sorted(conta.items())],
    }


def verbali(ctx) -> dict:
    """Sedute held and verbali published, by organo and year, with the share on the site and by visibility.

    The Piano di Zona measures "% verbali presenti sul sito" (004:9400-9432): its denominator is the
    sedute held, recorded in data/organi.yml even where no verbale is published yet
    (atlante.modello.organi); a published verbale is also a seduta held. Drafts are not counted.
    """
    verb = [
        v for v in carica_verbali(ctx.progetto) if isinstance(v.organo, str) and v.meta.get("sintetico") is not True
    ]
    gruppi: dict[tuple, Counter] = defaultdict(Counter)
    for oid, sedute in sedute_per_organo(ctx.progetto.organi, verb).items():
        for s in sedute:
            c = gruppi[(oid, s.data.year)]
            c["sedute"] += 1
            if s.verbale is not None:
                vis = s.verbale.visibilita
                c[vis if vis in ("pubblico", "estratto", "riservato") else "riservato"] += 1
    righe = []
    for (organo, anno), c in sorted(gruppi.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0)):
        tot = c["pubblico"] + c["estratto"] + c["riservato"]
        nome = ctx.progetto.organi.get(organo, {}).get("nome", organo)
        righe.append(
            Riga(
                f"{organo}/{anno}",
                nome,
                tot,
                {
                    "anno": anno,
                    "sedute": c["sedute"],
                    "quota_sito": round(100 * tot / c["sedute"], 1),
                    "pubblico": c["pubblico"],
                    "estratto": c["estratto"],
                    "riservato": c["riservato"],
                    "quota_pubblica": round(100 * c["pubblico"] / tot, 1) if tot else None,
                },
            )
        )
    tot = sum(r.n for r in righe)
    pub = sum(r.extra["pubblico"] for r in righe)
    sedute = sum(r.extra["sedute"] for r in righe)
    return {
        "righe": righe,
        "sedute": sedute,
        "totale": tot,
        "quota_sito": round(100 * tot / sedute, 1) if sedute else None,
        "pubblici": pub,
        "quota_pubblica": round(100 * pub / tot, 1) if tot else None,
    }
