"""Placeholder producer family (the site issue replaces it with the real pages)."""
from __future__ import annotations

from .genera import Contesto, Pagina, produttore


@produttore
def elenco_schede(ctx: Contesto):
    righe = [f"- {r.nome} ({r.tipo.etichetta})" for r in sorted(ctx.records, key=lambda r: r.nome)]
    yield Pagina("schede.md", "# Schede\n\n" + "\n".join(righe) + "\n")
