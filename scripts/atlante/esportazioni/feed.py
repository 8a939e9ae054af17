"""RSS 2.0 and Atom feeds (feedgen): news, all verbali, one per organo, and the updates of the
mapping (records added or changed, from git history where there is one, else `verificato_il`).

Links are absolute from site_url; entry ids are stable (the page URL, or a tag: URI for mapping
changes); dates are in Europe/Rome. Reserved verbali appear with their metadata only: the feed
entry is built from the front matter, never from any text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from atlante.lettura.frontmatter import data_italiana
from atlante.lettura.notizie import carica_news, categorie
from atlante.lettura.verbali import carica_verbali
from atlante.modello.percorsi import base_assoluta
from atlante.modello.sito import Contesto, Pagina

ROMA = ZoneInfo("Europe/Rome")
MAX_VOCI = 50


@dataclass
class Voce:
    id: str
    titolo: str
    url: str
    quando: dt.datetime
    sommario: str
    categoria: str | None = None


@dataclass
class Feed:
    nome: str  # file stem under feed/
    titolo: str
    descrizione: str
    pagina: str  # site-relative URL of the page the feed follows
    voci: list[Voce]


def base_url(ctx: Contesto) -> str:
    return base_assoluta(ctx.config)


def _mezzanotte(d: dt.date) -> dt.datetime:
    return dt.datetime.combine(d, dt.time(0, 0), tzinfo=ROMA)


def voci_news(ctx: Contesto) -> list[Voce]:
    base, cat = base_url(ctx), categorie(ctx.progetto)
    return [
        Voce(base + n.url, n.titolo, base + n.url, _mezzanotte(n.data), n.sommario, cat[n.categoria])
        for n in carica_news(ctx.progetto)
    ]


def voci_verbali(ctx: Contesto, organo: str | None = None) -> list[Voce]:
    base, organi = base_url(ctx), ctx.progetto.organi
    out = []
    for v in carica_verbali(ctx.progetto):
        if organo and v.organo != organo:
            continue
        ora = dt.time.fromisoformat(v.ora_inizio) if v.ora_inizio else dt.time(0, 0)
        punti = [p if isinstance(p, str) else p.get("oggetto", "") for p in v.meta.get("ordine_del_giorno") or []]
        stato = {
            "riservato": "Verbale riservato: sono pubblici solo i dati della seduta.",
            "estratto": "Estratto del verbale pubblicato.",
            "pubblico": "Verbale pubblicato.",
        }[v.visibilita]
        sommario = f"{stato} Ordine del giorno: " + "; ".join(" ".join(p.split()) for p in punti) + "."
        out.append(
            Voce(
                base + v.url,
                v.titolo(organi),
                base + v.url,
                dt.datetime.combine(v.data, ora, tzinfo=ROMA),
                sommario,
                organi.get(v.organo, {}).get("nome"),
            )
        )
    return out


def storia_git(ctx: Contesto) -> list[tuple[str, dt.datetime, str, str]] | None:
    """(commit, when, status A|M, repo-relative path) for data/enti, newest first; None without git."""
    righe = [(m.commit, m.quando, m.stato, m.path) for m in ctx.storia_git or [] if m.stato in ("A", "M")]
    return righe or None


def voci_mappatura(ctx: Contesto) -> list[Voce]:
    base = base_url(ctx)
    host = urlsplit(base).hostname or "localhost"
    pubblici = {s.sorgente: s for r in ctx.records if (s := ctx.scheda(r)).pubblicata}
    out = []
    storia = storia_git(ctx)
    if storia:
        for commit, quando, stato, path in storia:
            r = pubblici.get(path)
            if r is None:
                continue  # removed since, or synthetic
            url = base + r.url
            azione = "Nuova scheda" if stato == "A" else "Scheda aggiornata"
            out.append(
                Voce(
                    f"tag:{host},{quando.date().isoformat()}:{r.url}{commit[:12]}",
                    f"{azione}: {r.nome}",
                    url,
                    quando,
                    f"{azione} ({r.tipo.etichetta}): {r.nome}.",
                    r.tipo.etichetta,
                )
            )
    else:
        for r in pubblici.values():
            try:
                d = dt.date.fromisoformat(r.record.get("verificato_il"))
            except (TypeError, ValueError):
                continue
            url = base + r.url
            out.append(
                Voce(
                    f"tag:{host},{d.isoformat()}:{r.url}verificato",
                    f"Scheda verificata: {r.nome}",
                    url,
                    _mezzanotte(d),
                    f"Scheda verificata il {data_italiana(d)} ({r.tipo.etichetta}): {r.nome}.",
                    r.tipo.etichetta,
                )
            )
    out.sort(key=lambda v: (v.quando, v.id), reverse=True)
    return out[:MAX_VOCI]


def tutti_i_feed(ctx: Contesto) -> list[Feed]:
    feeds = [
        Feed("news", "Notizie dell'Ufficio di Piano", "Le notizie dell'Atlante di Comunità.", "news/", voci_news(ctx)),
        Feed(
            "verbali",
            "Verbali degli organi di governo",
            "Tutti i verbali pubblicati, dal più recente.",
            "verbali/",
            voci_verbali(ctx),
        ),
        Feed(
            "mappatura",
            "Aggiornamenti della mappatura",
            "Schede di enti aggiunte o modificate.",
            "",
            voci_mappatura(ctx),
        ),
    ]
    for oid, o in ctx.progetto.organi.items():
        feeds.append(
            Feed(
                f"verbali-{oid}",
                f"Verbali: {o['nome']}",
                f"I verbali di {o['nome']}.",
                f"verbali/organi/{oid}/",
                voci_verbali(ctx, oid),
            )
        )
    return feeds


def scrivi_feed(ctx: Contesto, feed: Feed) -> tuple[bytes, bytes]:
    from feedgen.feed import FeedGenerator

    base = base_url(ctx)
    site = ctx.config.get("site_name") or "Atlante di Comunità"
    aggiornato = max((v.quando for v in feed.voci), default=_mezzanotte(ctx.oggi))
    out = []
    for formato in ("rss", "atom"):
        fg = FeedGenerator()
        fg.id(f"{base}feed/{feed.nome}.{formato}.xml")
        fg.title(f"{feed.titolo} · {site}")
        fg.subtitle(feed.descrizione)
        fg.language("it")
        fg.author({"name": "Ufficio di Piano"})
        fg.link(href=f"{base}feed/{feed.nome}.{formato}.xml", rel="self")
        fg.link(href=base + feed.pagina, rel="alternate")
        fg.updated(aggiornato)
        fg.lastBuildDate(aggiornato)  # feedgen defaults to now: keep builds reproducible
        for v in reversed(feed.voci):  # feedgen prepends: add oldest first, newest ends up on top
            fe = fg.add_entry()
            fe.id(v.id)
            fe.guid(v.id, permalink=v.id.startswith("http"))
            fe.title(v.titolo)
            fe.link(href=v.url)
            fe.published(v.quando)
            fe.updated(v.quando)
            fe.summary(v.sommario) if formato == "atom" else fe.description(v.sommario)
            if v.categoria:
                fe.category(term=v.categoria)
        out.append(fg.rss_str(pretty=True) if formato == "rss" else fg.atom_str(pretty=True))
    return out[0], out[1]


def pagine_feed(ctx: Contesto):
    feeds = tutti_i_feed(ctx)
    righe = [
        "# Feed RSS e Atom\n",
        "Per seguire le novità dell'Atlante con un lettore di feed (Thunderbird, Feeder, NetNewsWire...): "
        "copia nel lettore l'indirizzo di uno dei feed qui sotto. Ogni feed esiste in due formati "
        "equivalenti, RSS 2.0 e Atom. I verbali riservati compaiono solo con i dati della seduta.\n",
        "| feed | contenuto | voci | formati |",
        "|---|---|---|---|",
    ]
    for f in feeds:
        rss, atom = scrivi_feed(ctx, f)
        yield Pagina(f"feed/{f.nome}.rss.xml", rss)
        yield Pagina(f"feed/{f.nome}.atom.xml", atom)
        righe.append(
            f"| {f.titolo} | {f.descrizione} | {len(f.voci)} | "
            f"[RSS](feed/{f.nome}.rss.xml) · [Atom](feed/{f.nome}.atom.xml) |"
        )
    yield Pagina("feed.md", "\n".join(righe) + "\n")
    # Material's bundle looks for sitemap.xml beside every <link rel="alternate"> (meant for
    # language versions): an empty one here answers it instead of a 404 on every page view.
    yield Pagina(
        "feed/sitemap.xml",
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>\n',
    )
