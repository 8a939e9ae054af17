"""Pages of the news: each post with its date and category, the list, one page per category.

`ultime_notizie(ctx, n)` is the contract with the home page: the n newest posts as plain dicts.
"""

from __future__ import annotations

from atlante.base.formato import data_italiana
from atlante.lettura.notizie import CARTELLA, Notizia, carica_news, categorie
from atlante.modello.percorsi import link_md
from atlante.modello.sito import Contesto, Pagina
from atlante.pagine.impaginazione import pagina_md
from atlante.pagine.modelli import blocco_markdown, md_testo


def ultime_notizie(ctx: Contesto, n: int = 3) -> list[dict]:
    """The n newest posts: {titolo, data (date), data_testo, url (site-relative), sommario, categoria}."""
    cat = categorie(ctx.progetto)
    return [
        {
            "titolo": x.titolo,
            "data": x.data,
            "data_testo": data_italiana(x.data),
            "url": x.url,
            "path": x.path,
            "sommario": x.sommario,
            "categoria": cat[x.categoria],
        }
        for x in carica_news(ctx.progetto)[:n]
    ]


def _voce(da: str, x: Notizia, cat: dict) -> str:
    return (
        f"- **[{md_testo(x.titolo)}]({link_md(da, x.path)})** — {data_italiana(x.data)} · "
        f"[{md_testo(cat[x.categoria])}]({link_md(da, f'{CARTELLA}/categorie/{x.categoria}.md')})  \n"
        f"  {md_testo(x.sommario)}"
    )


def pagine_news(ctx: Contesto):
    notizie = carica_news(ctx.progetto)
    cat = categorie(ctx.progetto)
    for x in notizie:
        # The post page gets its date and category above the text written by hand.
        cat_link = link_md(x.path, f"{CARTELLA}/categorie/{x.categoria}.md")
        testo = (
            f"# {md_testo(x.titolo)}\n\n"
            f"*{data_italiana(x.data)} · [{md_testo(cat[x.categoria])}]({cat_link})*\n\n"
            f"**{md_testo(x.sommario)}**\n\n{blocco_markdown(x.pagina.corpo, x.path)}"
        )
        if x.meta.get("fonte"):
            testo += f"\n*Fonte: {md_testo(x.meta['fonte'])}*\n"
        yield Pagina(x.path, pagina_md(x.titolo, testo, x.sommario), sorgente=x.path)
    idx = f"{CARTELLA}/index.md"
    righe = [
        "# Notizie\n",
        "Le notizie dell'Ufficio di Piano, dalla più recente. Categorie: "
        + ", ".join(f"[{md_testo(lbl)}]({link_md(idx, f'{CARTELLA}/categorie/{cid}.md')})" for cid, lbl in cat.items())
        + ". Per riceverle: [feed RSS e Atom](../feed.md).\n",
    ]
    righe += [_voce(idx, x, cat) for x in notizie] or ["Nessuna notizia pubblicata."]
    yield Pagina(idx, "\n".join(righe) + "\n")
    for cid, lbl in cat.items():
        path = f"{CARTELLA}/categorie/{cid}.md"
        sel = [x for x in notizie if x.categoria == cid]
        righe = [f"# Notizie: {md_testo(lbl)}\n"] + (
            [_voce(path, x, cat) for x in sel] or ["Nessuna notizia in questa categoria."]
        )
        righe.append(f"\n[Tutte le notizie]({link_md(path, idx)})")
        yield Pagina(path, "\n".join(righe) + "\n")
