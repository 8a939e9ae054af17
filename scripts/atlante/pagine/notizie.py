"""Pages of the news: each post with its date and category, the list, one page per category.

`ultime_notizie(ctx, n)` is the contract with the home page: the n newest posts as plain dicts.
"""

from __future__ import annotations

import json

from atlante.lettura.frontmatter import data_italiana
from atlante.lettura.notizie import CARTELLA, CATEGORIE, Notizia, carica_news
from atlante.modello.sito import Contesto, Pagina


def ultime_notizie(ctx: Contesto, n: int = 3) -> list[dict]:
    """The n newest posts: {titolo, data (date), data_testo, url (site-relative), sommario, categoria}."""
    return [{"titolo": x.titolo, "data": x.data, "data_testo": data_italiana(x.data), "url": x.url,
             "path": x.path, "sommario": x.sommario, "categoria": CATEGORIE[x.categoria]}
            for x in carica_news(ctx.progetto)[:n]]


def _md(s: str) -> str:
    from atlante.pagine.verbali import md_testo

    return md_testo(s)


def _voce(da: str, x: Notizia) -> str:
    from atlante.pagine.verbali import rel

    return (f"- **[{_md(x.titolo)}]({rel(da, x.path)})** — {data_italiana(x.data)} · "
            f"[{_md(CATEGORIE[x.categoria])}]({rel(da, f'{CARTELLA}/categorie/{x.categoria}.md')})  \n"
            f"  {_md(x.sommario)}")


def pagine_news(ctx: Contesto):
    from atlante.pagine.verbali import rel

    notizie = carica_news(ctx.progetto)
    for x in notizie:
        # The post page gets its date and category above the text written by hand.
        cat_link = rel(x.path, f"{CARTELLA}/categorie/{x.categoria}.md")
        fm = {"title": x.titolo, "description": x.sommario}
        testo = (f"---\n{json.dumps(fm, ensure_ascii=False)}\n---\n\n# {_md(x.titolo)}\n\n"
                 f"*{data_italiana(x.data)} · [{_md(CATEGORIE[x.categoria])}]({cat_link})*\n\n"
                 f"**{_md(x.sommario)}**\n\n{x.pagina.corpo.strip()}\n")
        if x.meta.get("fonte"):
            testo += f"\n*Fonte: {_md(x.meta['fonte'])}*\n"
        yield Pagina(x.path, testo, sorgente=x.path)
    idx = f"{CARTELLA}/index.md"
    righe = ["# Notizie\n", "Le notizie dell'Ufficio di Piano, dalla più recente. Categorie: " +
             ", ".join(f"[{_md(lbl)}]({rel(idx, f'{CARTELLA}/categorie/{cid}.md')})" for cid, lbl in CATEGORIE.items()) +
             ". Per riceverle: [feed RSS e Atom](../feed.md).\n"]
    righe += [_voce(idx, x) for x in notizie] or ["Nessuna notizia pubblicata."]
    yield Pagina(idx, "\n".join(righe) + "\n")
    for cid, lbl in CATEGORIE.items():
        path = f"{CARTELLA}/categorie/{cid}.md"
        sel = [x for x in notizie if x.categoria == cid]
        righe = [f"# Notizie: {_md(lbl)}\n"] + ([_voce(path, x) for x in sel] or ["Nessuna notizia in questa categoria."])
        righe.append(f"\n[Tutte le notizie]({rel(path, idx)})")
        yield Pagina(path, "\n".join(righe) + "\n")
