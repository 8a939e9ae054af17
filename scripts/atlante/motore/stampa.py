"""Stamped pages: MkDocs renders one shell per family, every other page of the family is stamped.

A family is the generated pages at the same depth of one folder with the same front-matter keys
besides title and description: the records of a kind (enti/<cartella>/<id>/), the comuni, the
temi, the kind tables. They differ only in a few parts: title, description, body, and their own
address. MkDocs and Material render one of them, the shell, through the real theme with sentinels
in place of those parts (so every theme change flows in); each page of the family is then the
shell with its parts put back, written straight into the site, then finished
like every rendered page (Preparazione.rifinisci_stampata) and added to the sitemap. The parts are the values
the one front-matter writer made (impaginazione.testata, already escaped) and the HTML Python-Markdown
makes of the body (markdown_html.html_pagina_intera): the same bytes MkDocs would print.
tests/test_stampa.py builds the site both ways and compares every page byte by byte.

Pure Python: the hook hands the shell's rendered HTML and the site folder in.
"""

from __future__ import annotations

import gzip
import json
import os
import posixpath
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from atlante.modello.percorsi import url_di
from atlante.modello.sito import Pagina
from atlante.motore.markdown_html import html_pagina_intera
from atlante.pagine.impaginazione import testo_pagina

ENV_STAMPA = "ATLANTE_STAMPA"  # "0": MkDocs renders every page (what the byte-identical test compares)

# Sentinels in the shell: ASCII words that no theme escapes or changes and no record can contain
# as a whole (the body is HTML made by our templates, with every value escaped).
_SEGNO = "atlante-guscio-5e1f"
TITOLO = f"{_SEGNO}-titolo"
DESCRIZIONE = f"{_SEGNO}-descrizione"
# A whole-HTML body (markdown_html) with an <h1>: Material adds its own title only to pages without.
CORPO = f'<div class="atlante-guscio"><h1>{_SEGNO}-corpo</h1></div>'
_SLOT = ("title", "description")  # the front matter the shell has slots for


def famiglia(p: Pagina) -> str:
    """The family of a page: its URL's folder (the same depth: the same relative links) and its
    front matter besides the slots (the same theme features)."""
    resto = {k: v for k, v in p.parti.meta.items() if k not in _SLOT}
    return posixpath.dirname(url_di(p.path).rstrip("/")) + " " + json.dumps(resto, sort_keys=True)


class StampaImpossibile(Exception):
    """The theme printed the shell in a way the stamping cannot follow (message in Italian)."""


@dataclass
class Guscio:
    famiglia: str
    path: str  # the docs path of the page MkDocs renders as the shell (the family's first)
    pagine: list[Pagina]  # every page of the family, the shell's own included
    pezzi: list[tuple[str, str | None]] = field(default_factory=list)  # (text, slot or None)


class Stampa:
    """One build's stamping: which pages MkDocs renders, and the stamped rest."""

    def __init__(self, attiva: bool, site_description: str | None):
        self.attiva = attiva
        self.site_description = site_description or None
        self.gusci: dict[str, Guscio] = {}  # docs path of the shell -> shell
        # docs path -> (body, its HTML): _stampabile already made it, pagina() takes it back
        self._html: dict[str, tuple[str, str | None]] = {}

    def per_mkdocs(self, pagine: Iterable[Pagina]) -> list[Pagina]:
        """The pages MkDocs renders: every page that is not stamped, and each family's shell."""
        pagine = list(pagine)
        self.gusci = {}
        if not self.attiva:
            return pagine
        famiglie: dict[str, list[Pagina]] = {}
        for p in pagine:
            if self._stampabile(p):
                famiglie.setdefault(famiglia(p), []).append(p)
        stampate = set()
        for chiave, membri in famiglie.items():
            if len(membri) < 2:
                continue  # nothing to gain: MkDocs renders it
            membri.sort(key=lambda p: p.path)
            self.gusci[membri[0].path] = Guscio(chiave, membri[0].path, membri)
            stampate |= {p.path for p in membri}
        out = []
        for p in pagine:
            if p.path in self.gusci:
                meta = {**p.parti.meta, "title": TITOLO, "description": DESCRIZIONE}
                out.append(Pagina(p.path, testo_pagina(meta, CORPO), sorgente=p.sorgente))
            elif p.path not in stampate:
                out.append(p)
        return out

    def _stampabile(self, p: Pagina) -> bool:
        """A page whose parts the shell has slots for: a description (or the site's, which Material
        prints for a page without), a body of one HTML block with its own <h1> (else Material
        writes the title as one)."""
        parti = p.parti
        if parti is None or not p.path.endswith(".md"):
            return False
        corpo = html_pagina_intera(parti.corpo)
        self._html[p.path] = (parti.corpo, corpo)
        return bool(parti.meta.get("description") or self.site_description) and corpo is not None and "<h1" in corpo

    def reso(self, path: str, url: str, html: str) -> None:
        """MkDocs rendered a page (before our finishing touches): keep it if it is a shell."""
        g = self.gusci.get(path)
        if g is None:
            return
        if url != url_di(path):
            raise StampaImpossibile(
                f"pagine stampate: l'indirizzo di {path} è {url}, non {url_di(path)} "
                "(serve use_directory_urls: true); costruisci con ATLANTE_STAMPA=0"
            )
        slot = re.compile("|".join(re.escape(s) for s in (CORPO, TITOLO, DESCRIZIONE, url)))
        pezzi: list[tuple[str, str | None]] = []
        pos = 0
        for m in slot.finditer(html):
            pezzi += [(html[pos : m.start()], None), ("", m.group() if m.group() != url else "url")]
            pos = m.end()
        pezzi.append((html[pos:], None))
        trovati = [s for _, s in pezzi if s]
        if trovati.count(CORPO) != 1 or TITOLO not in trovati:
            raise StampaImpossibile(
                f"pagine stampate: il tema non scrive il contenuto una volta sola nella pagina {url}; "
                "costruisci con ATLANTE_STAMPA=0"
            )
        g.pezzi = pezzi

    def pagina(self, g: Guscio, p: Pagina) -> str:
        """The page p of the family, from its shell (before our finishing touches)."""
        valori = {
            TITOLO: p.parti.meta["title"],
            DESCRIZIONE: p.parti.meta.get("description") or self.site_description,
            CORPO: self._corpo_html(p),
            "url": url_di(p.path),
        }
        return "".join(valori[s] if s else testo for testo, s in g.pezzi)

    def _corpo_html(self, p: Pagina) -> str | None:
        corpo, html = self._html.pop(p.path, (None, None))
        return html if corpo is p.parti.corpo else html_pagina_intera(p.parti.corpo)

    def scrivi(self, site_dir: Path, rifinisci: Callable[[str], str]) -> list[str]:
        """Write every stamped page into the built site and add it to the sitemap; their URLs.
        Runs before anything reads the site as a whole (the theme's scripts fix, the index)."""
        site_dir = Path(site_dir)
        nuove: dict[str, list[str]] = {}  # shell URL -> the other URLs of its family
        for g in self.gusci.values():
            for p in g.pagine:
                self.scrivi_pagina(site_dir, g, p, rifinisci)
                if p.path != g.path:
                    nuove.setdefault(url_di(g.path), []).append(url_di(p.path))
        self._html.clear()  # the bodies of pages never stamped (a family of one) are not kept
        aggiungi_alla_sitemap(site_dir, nuove)
        return [u for urls in nuove.values() for u in urls]

    def guscio_per(self, p: Pagina) -> Guscio | None:
        """The shell a page can be stamped from (the preview stamps changed pages with it)."""
        if not self._stampabile(p):
            return None
        chiave = famiglia(p)
        return next((g for g in self.gusci.values() if g.famiglia == chiave and g.pezzi), None)

    def scrivi_pagina(self, site_dir: Path, g: Guscio, p: Pagina, rifinisci: Callable[[str], str]) -> str:
        """Stamp one page into the site, finished like a rendered one; its URL."""
        if not g.pezzi:
            raise StampaImpossibile(f"pagine stampate: MkDocs non ha costruito il guscio {g.path}")
        url = url_di(p.path)
        cartella = os.path.join(site_dir, url)
        os.makedirs(cartella, exist_ok=True)  # os, not pathlib: 10,000 times per build
        # as MkDocs writes a page (mkdocs.commands.build._build_page)
        with open(os.path.join(cartella, "index.html"), "wb") as f:
            f.write(rifinisci(self.pagina(g, p)).encode("utf-8", errors="xmlcharrefreplace"))
        return url


_VOCE = re.compile(r"[ \t]*<url>\s*<loc>([^<]*)</loc>.*?</url>\n?", re.S)


def aggiungi_alla_sitemap(site_dir: Path, nuove: dict[str, list[str]]) -> None:
    """Each new URL gets a copy of its shell's sitemap entry (same lastmod), right after it; the
    compressed copy is rewritten when the theme made one."""
    sitemap = site_dir / "sitemap.xml"
    if not nuove or not sitemap.is_file():
        return
    testo = sitemap.read_text(encoding="utf-8")

    def con_le_nuove(m: re.Match) -> str:
        loc = m.group(1)
        for guscio, urls in nuove.items():
            if loc.endswith("/" + guscio) or loc == guscio:
                voce = m.group()
                base = loc[: len(loc) - len(guscio)]
                copie = [voce.replace(f"<loc>{loc}</loc>", f"<loc>{base}{u}</loc>") for u in urls]
                return voce + "".join(copie)
        return m.group()

    testo = _VOCE.sub(con_le_nuove, testo)
    sitemap.write_text(testo, encoding="utf-8")
    compressa = site_dir / "sitemap.xml.gz"
    if compressa.is_file():
        mtime = int.from_bytes(compressa.read_bytes()[4:8], "little")
        compressa.write_bytes(gzip.compress(testo.encode("utf-8"), mtime=mtime))
