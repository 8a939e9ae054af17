"""One build's own work, outside the engine: checks, validation, generated pages.

The MkDocs hook creates a Preparazione when the configuration is loaded and asks for the pages
when MkDocs collects its files. Meanwhile two forked processes use the second core: one
validates the data, one makes the map skeleton with folium (importing folium alone takes half a
second). The pages are generated in this process; validation always has the last word: with
invalid data the build stops with the validator's messages, even when generation failed first.
"""

from __future__ import annotations

import gc
import os
from functools import cached_property
from pathlib import Path

from atlante.base.parallelo import InParallelo
from atlante.base.problems import Problem, format_text
from atlante.lettura.frontmatter import pagine_bozza
from atlante.lettura.progetto import Progetto
from atlante.lettura.records import load_records
from atlante.mappe.pagina import OPZIONE_SCHELETRO, scheletro_e_salva, scheletro_salvato
from atlante.motore import genera as gen
from atlante.motore.html_post import correggi_html, senza_script_esterni
from atlante.motore.ricerca import ENV_SENZA_INDICE, indicizza
from atlante.motore.stampa import ENV_STAMPA, Stampa
from atlante.pagine.glossario import sigle, spiega_sigle
from atlante.pagine.riservati import controlla_impostazioni, impostazioni, vocabolario
from atlante.validazione.controlli import validate

ENV_SINTETICI = "ATLANTE_SINTETICI"  # "1": publish synthetic records (set by atlante bench only)


class BuildInterrotta(Exception):
    """The build must stop; the message (Italian) says why and what to do."""


class Preparazione:
    def __init__(self, root: Path, atlante: dict | None):
        self.progetto = Progetto(root)
        imp = impostazioni()
        motivo = controlla_impostazioni(imp, self.progetto.root, vocabolario(self.progetto) if imp.password else ())
        if motivo:
            raise BuildInterrotta(f"Verbali riservati: {motivo}. Sito non costruito.")
        self.atlante = dict(atlante or {})
        # Read once, before forking: the validation inherits the records and the pages use them.
        self._lette = load_records(self.progetto, include_synthetic=True)
        # What lives for the whole build (project, records, then the pages) is frozen out of the
        # collector: else each full collection walks it again (1.1 s of a 16 s build at 10,000
        # records), and forked processes share it without copying. completa/annulla thaw it.
        gc.freeze()
        # sui_core=False: this process is already beside the generation, it forks no workers of its own
        self._validazione = InParallelo(validate, self.progetto, None, {r.path: r for r in self._lette}, False)
        # the map skeleton: kept from a previous build, or made by folium on the second core
        self._scheletro = scheletro_salvato(self.progetto)
        self._mappa = None if self._scheletro else InParallelo(scheletro_e_salva, self.progetto, self.atlante)
        self.contesto: gen.Contesto | None = None
        self.stampa = Stampa(attiva=False, site_description=None)

    def pagine(self, config: dict, includi_sintetici: bool = False) -> list[gen.Pagina]:
        """The generated pages MkDocs renders, once the data is known to be valid (else
        BuildInterrotta): all of them but the stamped ones, whose families' shells stand in
        (atlante.motore.stampa; ATLANTE_STAMPA=0 renders them all)."""
        try:
            self.contesto = gen.contesto(
                self.progetto,
                config={**config, "atlante": self.atlante},
                includi_sintetici=includi_sintetici,
                lette=self._lette,
                opzioni={
                    "sintetici_in_mappa": includi_sintetici,
                    OPZIONE_SCHELETRO: self._scheletro or self._mappa.risultato(),
                },
            )
            pagine = gen.genera(self.contesto)
            gc.freeze()
        except Exception:
            self.avvisi()  # invalid data explains a failed generation: its messages come first
            raise
        self.avvisi()
        self.stampa = Stampa(os.environ.get(ENV_STAMPA) != "0", config.get("site_description"))
        return self.stampa.per_mkdocs(pagine)

    def reso(self, path: str, url: str, html: str) -> str:
        """A page MkDocs rendered (path: its docs path), finished: valid HTML (correggi_html),
        acronyms explained. A shell is kept with the theme's fix-ups made, once for its whole
        family (rifinisci_stampata). What only the search index needs goes to the pages' search
        twins (atlante.motore.ricerca.gemello), not into the site."""
        html = correggi_html(html)
        self.stampa.reso(path, url, html)
        return self.rifinisci_stampata(html)

    def completa(self, site_dir: Path) -> None:
        """The site after MkDocs: the stamped pages first (the next steps read every page), the
        theme's scripts without third-party URLs, then the search index (unless ATLANTE_SENZA_INDICE)."""
        self.stampa.scrivi(site_dir, self.rifinisci_stampata)
        senza_script_esterni(site_dir)
        gc.unfreeze()
        if os.environ.get(ENV_SENZA_INDICE) != "1":
            indicizza(site_dir)

    def bozze(self) -> list[str]:
        """Docs paths of the drafts (`bozza: true`) among verbali and news: never published."""
        fatte = [p.rel for p in pagine_bozza(self.progetto)]
        return sorted(fatte)

    def avvisi(self) -> list[Problem]:
        """The validator's warnings; raises BuildInterrotta with its errors."""
        problemi = self._validazione.risultato()
        errori = [p for p in problemi if p.is_error]
        if errori:
            raise BuildInterrotta("Dati non validi, sito non costruito:\n" + format_text(errori))
        return problemi

    @cached_property
    def sigle(self) -> dict[str, str]:
        """Acronym -> full name, from data/glossario.yml."""
        return sigle(self.progetto.lessico.glossario)

    def rifinisci_stampata(self, html: str) -> str:
        """A stamped page's last touches: its shell had the theme's fix-ups (correggi_html touches
        only the theme's navigation, never the parts: escaped text and our templates' HTML;
        tests/test_stampa.py compares with rendered pages), the acronyms may be in the parts."""
        return spiega_sigle(html, self.sigle)

    def annulla(self) -> None:
        gc.unfreeze()
        self._validazione.annulla()
        if self._mappa is not None:
            self._mappa.annulla()
