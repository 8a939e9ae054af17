"""The Contatti page, made from the settings in mkdocs.yml (extra.atlante): no source gives the
atlas's own mailbox, address or repository, so they are settings, shown with what they are."""

from __future__ import annotations

from atlante.modello.percorsi import link
from atlante.modello.sito import Contesto, Pagina
from atlante.pagine.impaginazione import pagina_md, rendi
from atlante.pagine.segnalazioni import contatto_redazione


def pagina_contatti(ctx: Contesto) -> str:
    atlante = ctx.config.get("atlante") or {}
    da = "contatti.md"
    corpo = rendi(
        "contatti.html",
        redazione=atlante.get("redazione_nome") or "Ufficio di Piano",
        contatto=contatto_redazione(ctx.config),
        indirizzo=atlante.get("redazione_indirizzo"),
        repository=atlante.get("repository_url") or ctx.config.get("repo_url"),
        issues=atlante.get("issues_url"),
        chi_siamo=link(da, "chi-siamo.md"),
        privacy=link(da, "privacy.md"),
        aggiorna=link(da, "partecipa/aggiorna-la-tua-scheda.md"),
        accessibilita=link(da, "accessibilita.md"),
    )
    return pagina_md("Contatti", corpo, descrizione="Come scrivere alla redazione dell'Atlante di Comunità.")


def informazioni(ctx: Contesto):
    yield Pagina("contatti.md", pagina_contatti(ctx))
