"""The site's search: Pagefind (Rust, Italian stemming, chunked index) run over the built site.

Pages say what is indexed (templates): `data-pagefind-body` around the content area of citizen
pages (site_overrides/main.html), filters and metadata on record pages (pagine/modelli/
scheda.html). Here: the one tokenisation rule for Italian elisions on the indexing side
(prepara_per_indice, called by the hook on each page; its twin for queries is in
site_overrides/assets/javascripts/atlante-ricerca.js) and the indexing run after the build
(indicizza, called by the hook's on_post_build).
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import time
from pathlib import Path

CARTELLA = "pagefind"  # the search bundle, under the site root
ENV_SENZA_INDICE = "ATLANTE_SENZA_INDICE"  # "1": the build skips indexing (atlante bench times it apart)
FINE_CORPO = "<!--atlante-ricerca-fine-->"  # written by main.html at the end of the content area
# Boilerplate inside the content area that no citizen searches for.
ESCLUSI = ", ".join(
    [
        ".md-content__button",
        ".md-source-file",
        "#verifica",
        ".atlante-ultima-verifica",
        ".atlante-fonte",
        ".atlante-azioni",
        ".atlante-posizione-approssimata",
        ".atlante-mappa",
        "script",
    ]
)
# What the browser needs of the bundle; the rest (Pagefind's own UIs, the non-Italian wasm) is
# removed so that nobody downloads or maintains it.
_SUPERFLUI = [
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
    "wasm.unknown.pagefind",
]

# An elided article or preposition glued to its word: "dell'anziano", "l’utente", "un'associazione".
# Pagefind keeps such a token whole (it splits on hyphens, not on apostrophes), so "anziani" would
# not find "dell'anziano": each page also carries the words after the apostrophe, as an indexed
# attribute, and queries drop the elided part before searching.
ELISIONE = re.compile(r"\b\w+['’](\w{2,})")  # the rule; parole_dopo_elisione finds its matches faster
_APOSTROFO_E_PAROLA = re.compile(r"['’](\w{2,})")
_CARATTERE_DI_PAROLA = re.compile(r"\w")
_TAG = re.compile(r"<[^>]+>")
# Pagefind joins the text of adjacent cells and definition terms ("Residenti7.560"): a line break
# between them (no visual change: they are blocks or table cells) keeps the words apart.
_CELLE = re.compile(r"(</(?:dt|dd|td|th)>)(?=<(?:dt|dd|td|th)[\s>])")
_SCRIPT = re.compile(r"<(script|style)\b.*?</\1>", re.S | re.I)


def parole_dopo_elisione(testo: str) -> list[str]:
    """The words after an elision, each once, in order: "dell'anziano e l'utente" -> [anziano, utente].

    The matches of ELISIONE, found from the apostrophes (a regex that starts with a word spends
    its time trying every word of the page; tests/test_ricerca.py compares the two): an
    apostrophe counts when a word ends right before it that the previous match did not take."""
    parole, fine = [], 0
    for m in _APOSTROFO_E_PAROLA.finditer(testo):
        a = m.start()
        if a > fine and a > 0 and _CARATTERE_DI_PAROLA.match(testo, a - 1):
            parole.append(m.group(1).lower())
            fine = m.end()
    return list(dict.fromkeys(parole))


def prepara_per_indice(pagina: str) -> str:
    """Prepare a page's content area for the index: words after each elision as an indexed
    attribute (no visible text), adjacent cells and definitions kept apart."""
    inizio = pagina.find("data-pagefind-body")
    fine = pagina.find(FINE_CORPO, inizio)
    if inizio < 0 or fine < 0:
        return pagina
    corpo = _CELLE.sub("\\1\n", pagina[inizio:fine])
    pagina = pagina[:inizio] + corpo + pagina[fine:]
    fine = inizio + len(corpo)
    testo = html.unescape(_TAG.sub(" ", _SCRIPT.sub(" ", pagina[inizio:fine])))
    parole = parole_dopo_elisione(testo)
    if not parole:
        return pagina
    span = (
        '<span data-pagefind-index-attrs="data-parole" data-parole="'
        + html.escape(" ".join(parole), quote=True)
        + '"></span>'
    )
    return pagina[:fine] + span + pagina[fine:]


class IndicizzazioneFallita(Exception):
    pass


def eseguibile() -> Path:
    from pagefind_bin import get_executable

    return get_executable()


def indicizza(site_dir: Path) -> float:
    """Index the built site with Pagefind into site_dir/pagefind; returns the seconds it took."""
    site_dir = Path(site_dir)
    out = site_dir / CARTELLA
    shutil.rmtree(out, ignore_errors=True)
    t0 = time.perf_counter()
    r = subprocess.run(
        [
            str(eseguibile()),
            "--site",
            str(site_dir),
            "--output-subdir",
            CARTELLA,
            "--force-language",
            "it",
            "--exclude-selectors",
            ESCLUSI,
            "--silent",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    secondi = time.perf_counter() - t0
    if r.returncode != 0 or not (out / "pagefind.js").is_file():
        raise IndicizzazioneFallita(f"Pagefind non ha indicizzato il sito: {(r.stderr or r.stdout).strip()[-2000:]}")
    for nome in _SUPERFLUI:
        (out / nome).unlink(missing_ok=True)
    return secondi
