"""The home page: what the site is, a search box, entry points, news slot, latest updated records."""

from __future__ import annotations

from markupsafe import Markup

from atlante.modello.percorsi import link, pagina_scheda
from atlante.modello.sito import Contesto, Pagina
from atlante.pagine.impaginazione import come_data, data_it, pagina_md, rendi
from atlante.pagine.indicatori import per_fonte
from atlante.pagine.notizie import ultime_notizie

# Entry points: (label, description, candidate pages). A page another module has not built yet
# is skipped, so the home never links to a missing page.
INGRESSI = [
    ("Cerca un servizio", "Enti, biblioteche, servizi e patti, per comune e per tema.", ["enti/index.md"]),
    ("Mappa", "Tutti i luoghi sulla mappa dell'Ambito.", ["mappa.md"]),
    ("Verbali", "Le sedute degli organi del Piano di Zona.", ["verbali/index.md", "verbali.md"]),
    ("Notizie", "Notizie dall'Ufficio di Piano.", ["news/index.md", "news.md"]),
    (
        "Partecipa / aggiorna la tua scheda",
        "Come aggiungere o correggere una scheda.",
        ["partecipa/index.md", "partecipa.md", "partecipa/aggiorna-la-tua-scheda.md"],
    ),
]


def _ultime_notizie(ctx: Contesto) -> Markup | None:
    """The three newest news posts of the news module, as an escaped list."""
    voci = ultime_notizie(ctx, 3)
    if not voci:
        return None
    righe = [
        Markup('<li><a href="{}">{}</a> <span class="atlante-data">{}</span><br>{}</li>').format(
            link("index.md", v["path"]), v["titolo"], v["data_testo"], v["sommario"]
        )
        for v in voci
    ]
    return Markup('<ul class="atlante-novita">') + Markup("").join(righe) + Markup("</ul>")


# The fragments of the home's "Novità" slot: each takes the Contesto and returns escaped HTML or None.
SEZIONI_NOVITA = [_ultime_notizie]


def esiste(ctx: Contesto, pagina: str) -> bool:
    return pagina in ctx.generate or (ctx.progetto.content_dir / pagina).is_file()


def home(ctx: Contesto):
    da = "index.md"
    ingressi = []
    for nome, testo, candidati in INGRESSI:
        dest = next((c for c in candidati if esiste(ctx, c)), None)
        if dest:
            ingressi.append({"nome": nome, "testo": testo, "href": link(da, dest)})
    recenti = sorted(
        (r for r in ctx.records if come_data(r.get("verificato_il"))),
        key=lambda r: (come_data(r.get("verificato_il")), r.nome),
        reverse=True,
    )[:10]
    amb = ctx.territorio.ambito
    corpo = rendi(
        "home.html",
        ambito=amb,
        n_comuni=sum(1 for c in ctx.territorio.comuni.values() if c.sub_ambito),
        n_schede=len(ctx.records),
        fonti=[{"nome": r.etichetta, "n": r.n} for r in per_fonte(ctx)],
        mappatura=amb.get("mappatura"),
        numeri=link(da, "numeri.md") if esiste(ctx, "numeri.md") else None,
        ingressi=ingressi,
        novita=[s for s in (f(ctx) for f in SEZIONI_NOVITA) if s],
        recenti=[
            {
                "nome": r.nome,
                "href": link(da, pagina_scheda(r.tipo, r.id)),
                "tipo": r.tipo.etichetta,
                "data": data_it(r.get("verificato_il")),
            }
            for r in recenti
        ],
    )
    yield Pagina(da, pagina_md("Atlante di Comunità", corpo, nascondi=("navigation", "toc")))
