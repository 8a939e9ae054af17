"""Incremental preview: a saved record updates its pages in the served site, without a rebuild.

After a full build (atlante serve), the build's context and shells stay in memory. When only
records change (data/enti/<cartella>/<id>.yml, saved or added), each one is read and checked on
its own, takes its place in the context, and the pages that show it are made again and stamped
into the site: its page, its kind's table, its comuni and temi (before and after the change), the
map points. The search index is then refreshed in the background (Pagefind has no incremental
update). Anything else (templates, mkdocs.yml, schemas, a removed record) rebuilds everything;
so do the pages that only count records (home, numbers, finder), which the preview leaves as
they were until the next full build.

Pure Python: the server adapter (motore/servi.py) calls it.
"""

from __future__ import annotations

import gc
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from atlante.base.problems import Problem, format_text
from atlante.lettura.progetto import TIPI
from atlante.lettura.records import Record, load_record, tipo_of
from atlante.mappe.geodati import file_geografici
from atlante.modello.percorsi import indice_tipo, pagina_comune, pagina_tema, url_di
from atlante.modello.schede import lista
from atlante.modello.sito import Pagina
from atlante.motore.preparazione import Preparazione
from atlante.motore.ricerca import indicizza
from atlante.motore.stampa import aggiungi_alla_sitemap
from atlante.pagine.indici import indice_del_tipo, pagina_del_comune, pagina_del_tema
from atlante.pagine.schede import indice, pagina_della_scheda
from atlante.validazione.controlli import check_record


class SchedaNonValida(Exception):
    """The saved record has errors: the site stays as it was (message in Italian)."""


@dataclass
class Aggiornamento:
    pagine: list[str]  # URLs of the saved records' pages
    secondi: float
    avvisi: list[Problem] = field(default_factory=list)
    coppie: list[tuple[Record, Record | None]] = field(default_factory=list)  # (saved, as it was)


class Anteprima:
    """The served site of one full build, kept up to date record by record."""

    def __init__(self, prep: Preparazione, site_dir: Path):
        self.prep = prep
        self.site_dir = Path(site_dir)
        self.progetto = prep.progetto
        self._contesto = threading.Lock()  # one change of the build's context and pages at a time
        self._indice = threading.Lock()
        self._ancora = threading.Event()  # another refresh of the index was asked meanwhile
        # The build's records, pages and shells now live until the next full build: out of the
        # collector's walks (a full collection over them cost a preview update 0.3-0.5 s at
        # 10,000 records). servi.py thaws them before that build.
        gc.freeze()

    def _scheda(self, p: Path) -> bool:
        return p.suffix == ".yml" and tipo_of(self.progetto, p) is not None

    def solo_schede(self, percorsi: list[Path]) -> bool:
        """True when the changed files are records that exist (saved or added), besides an
        editor's temporary files that are gone already."""
        rimasti = [p for p in percorsi if p.exists() or self._scheda(p)]
        return bool(rimasti) and all(p.is_file() and self._scheda(p) for p in rimasti)

    def aggiorna(self, percorsi: list[Path]) -> Aggiornamento | None:
        """Write the saved records' own pages at once (the contributor is looking at them; the
        server shows them as soon as this returns); the pages that list them follow with
        completa_dopo. None when a full rebuild is needed instead."""
        t0 = time.perf_counter()
        ctx = self.prep.contesto
        if ctx is None or not self.solo_schede(percorsi):
            return None
        percorsi = [p for p in percorsi if p.is_file()]
        nuovi = [load_record(self.progetto, p) for p in percorsi]
        problemi = [q for r in nuovi for q in (*r.doc.problems, *check_record(self.progetto, r))]
        errori = [q for q in problemi if q.is_error]
        if errori:
            raise SchedaNonValida("Scheda non valida, anteprima non aggiornata:\n" + format_text(errori))
        with self._contesto:
            pubblicate = {r.id for r in ctx.records}
            if any(not isinstance(r.doc.data, dict) or (r.sintetico and r.id not in pubblicate) for r in nuovi):
                return None  # a synthetic record outside a synthetic build, or no mapping: rebuild
            if not all(self._stampabili(r, ctx.per_id.get(r.id)) for r in nuovi):
                return None
            coppie = [(r, ctx.sostituisci(r)) for r in nuovi]
            scritte = self._scrivi(pagina_della_scheda(ctx, r) for r in nuovi)
        if scritte is None:
            return None
        avvisi = [q for q in problemi if not q.is_error]
        return Aggiornamento(scritte, time.perf_counter() - t0, avvisi, coppie)

    def _stampabili(self, rec: Record, vecchio: Record | None) -> bool:
        """Every page that lists the record exists already and has its family's shell (a new
        comune or theme page, for one, needs MkDocs: a full rebuild)."""
        ctx = self.prep.contesto
        percorsi = {indice_tipo(r.tipo) for r in (rec, vecchio) if r is not None}
        percorsi |= {pagina_comune(c) for c in self._comuni(rec, vecchio).values()}
        percorsi |= {pagina_tema(t) for t in self._temi(rec, vecchio)}
        return all(p in ctx.generate and self.prep.stampa.guscio_per(ctx.generate[p]) for p in percorsi)

    def elenchi(self, coppie: list[tuple[Record, Record | None]]) -> tuple[list[str], float]:
        """Write the pages that list the saved records (and the map points); what was written and
        the seconds it took."""
        t0 = time.perf_counter()
        ctx = self.prep.contesto
        with self._contesto:
            pagine: dict[str, Pagina] = {}
            for rec, vecchio in coppie:
                for p in self._elenchi_di(rec, vecchio):
                    pagine[p.path] = p
            comuni = {istat for rec, vecchio in coppie for istat in self._comuni(rec, vecchio)}
            for p in file_geografici(ctx, solo_comuni=comuni):
                pagine[p.path] = p
            scritte = self._scrivi(pagine.values()) or []
        return scritte, time.perf_counter() - t0

    def completa_dopo(self, esito: Aggiornamento, avvisa_elenchi, avvisa_indice) -> threading.Thread:
        """In the background: the pages that list the saved records, then the search index.
        avvisa_elenchi(written, seconds) and avvisa_indice(seconds) say when each is done."""

        def lavora():
            avvisa_elenchi(*self.elenchi(esito.coppie))
            self._indicizza(avvisa_indice)

        t = threading.Thread(target=lavora, name="atlante-anteprima", daemon=True)
        t.start()
        return t

    def _elenchi_di(self, rec: Record, vecchio: Record | None):
        """The pages that list a record: its kind's table, its comuni and temi (those of the
        record as it was too, which may no longer list it)."""
        ctx = self.prep.contesto
        yield indice_del_tipo(ctx, rec.tipo)
        if vecchio is not None and vecchio.tipo is not rec.tipo:
            yield indice_del_tipo(ctx, TIPI[vecchio.tipo.id])
        for c in self._comuni(rec, vecchio).values():
            yield pagina_del_comune(ctx, c)
        temi, per_tema = indice(ctx).temi, indice(ctx).per_tema
        for t in sorted(self._temi(rec, vecchio)):
            if t in temi and per_tema.get(t):  # a theme left empty keeps its page until a rebuild
                yield pagina_del_tema(ctx, temi[t])

    def _comuni(self, rec: Record, vecchio: Record | None) -> dict:
        """The comuni of the record, saved and as it was (ISTAT code -> comune), each once."""
        ctx = self.prep.contesto
        return {c.istat: c for r in (rec, vecchio) if r is not None for c in ctx.scheda(r).comuni}

    @staticmethod
    def _temi(rec: Record, vecchio: Record | None) -> set[str]:
        """The themes of the record, saved and as it was: the pages that list it or listed it."""
        return {t for r in (rec, vecchio) if r is not None for t in lista(r.get("temi")) if isinstance(t, str)}

    def _scrivi(self, pagine) -> list[str] | None:
        """Write the pages that changed since the build (stamped, or data files as they are)."""
        ctx = self.prep.contesto
        stampa = self.prep.stampa
        scritte, nuove = [], {}
        for p in pagine:
            prima = ctx.generate.get(p.path)
            if prima is not None and prima.contenuto == p.contenuto:
                continue
            if p.path.endswith(".md"):
                g = stampa.guscio_per(p)
                if g is None:
                    return None  # a page that only MkDocs can render: rebuild
                scritte.append(stampa.scrivi_pagina(self.site_dir, g, p, self.prep.rifinisci_stampata))
                if prima is None:
                    nuove.setdefault(url_di(g.path), []).append(url_di(p.path))
            else:
                out = self.site_dir / p.path
                out.parent.mkdir(parents=True, exist_ok=True)
                if isinstance(p.contenuto, bytes):
                    out.write_bytes(p.contenuto)
                else:
                    out.write_text(p.contenuto, encoding="utf-8")
                scritte.append(p.path)
            ctx.generate[p.path] = p
        aggiungi_alla_sitemap(self.site_dir, nuove)
        return scritte

    def _indicizza(self, avvisa) -> None:
        """Refresh the search index; avvisa(seconds) when done. A refresh asked while one runs is
        done once more afterwards, so the index ends up with every change."""
        self._ancora.set()
        if not self._indice.acquire(blocking=False):
            return  # the running one goes round again
        try:
            while self._ancora.is_set():
                self._ancora.clear()
                avvisa(indicizza(self.site_dir))
        finally:
            self._indice.release()
