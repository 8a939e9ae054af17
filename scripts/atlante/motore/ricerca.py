"""The site's search: Pagefind (Rust, Italian stemming, chunked index) run over the built site.

Pages say what is indexed (templates): `data-pagefind-body` around the content area of citizen
pages (site_overrides/main.html), filters and metadata on record pages (pagine/modelli/
scheda.html). Here: the one tokenisation rule for Italian elisions on the indexing side
(prepara_per_indice; its twin for queries is in site_overrides/assets/javascripts/
atlante-ricerca.js) and the indexing run after the build (indicizza, called by the hook's
on_post_build and by the preview). Pagefind reads each page's *search twin* (gemello): the
content area alone, prepared, in an otherwise empty document, written to a temporary folder at
the page's path. The bundle is the one Pagefind makes from the whole pages (tests/test_ricerca.py
compares them) for less CPU: it no longer parses the theme's 15 KB of navigation per page.
"""

from __future__ import annotations

import contextlib
import html
import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

CARTELLA = "pagefind"  # the search bundle, under the site root
ENV_SENZA_INDICE = "ATLANTE_SENZA_INDICE"  # "1": the build skips indexing (atlante bench times it apart)
INIZIO_CORPO = "<div data-pagefind-body>"  # written by main.html around the content area...
FINE_CORPO = "<!--atlante-ricerca-fine-->"  # ...and at its end (record text never holds a "<")
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
        # the same sentences on every record page: a search for "email" or "orari" found them all,
        # and they were 40% of a record's indexed words (Pagefind's CPU: -28% at 10,000 records)
        "#correggi",
        ".atlante-azioni-nota",
        ".atlante-mappa-svg",
        ".atlante-orari-assenti",
        ".atlante-contatti-assenti",
        ".atlante-verifica-vecchia",  # "Informazioni da verificare..." on every record not checked lately
        ".atlante-fonti-licenze",  # a source's title, publisher and licence, on all its records
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
    inizio = pagina.find(INIZIO_CORPO)
    fine = pagina.find(FINE_CORPO, inizio)
    if inizio < 0 or fine < 0:
        return pagina
    corpo = _CELLE.sub("\\1\n", pagina[inizio:fine])
    pagina = pagina[:inizio] + corpo + pagina[fine:]
    fine = inizio + len(corpo)
    # an explained acronym (glossario.spiega_sigle) is part of its word: "dell'<abbr>ASL</abbr>";
    # the elements Pagefind leaves out (ESCLUSI) give no words either
    testo = html.unescape(_TAG.sub(" ", _ABBR.sub("", _senza_esclusi(_SCRIPT.sub(" ", pagina[inizio:fine])))))
    parole = parole_dopo_elisione(testo)
    if not parole:
        return pagina
    span = (
        '<span data-pagefind-index-attrs="data-parole" data-parole="'
        + html.escape(" ".join(parole), quote=True)
        + '"></span>'
    )
    return pagina[:fine] + span + pagina[fine:]


_ABBR = re.compile(r"</?abbr\b[^>]*>")


# The elements of ESCLUSI named by class or id (tags are _SCRIPT's): (attribute, name).
_NOMI_ESCLUSI = [
    ("class" if x[0] == "." else "id", x[1:]) for x in (x.strip() for x in ESCLUSI.split(",")) if x[:1] in ".#"
]
_NOME_TAG = re.compile(r"\w+")


def _attributi_esclusi(corpo: str) -> list[tuple[int, int]]:
    """Where an opening tag names an element of ESCLUSI: (start, end) of ` class="... name ..."`
    or ` id="name"`, in order; found by looking for each name (a regex trying every space of the
    page took 70 us a page; tests/test_ricerca.py compares the two)."""
    trovati = []
    for attributo, nome in _NOMI_ESCLUSI:
        i = corpo.find(nome)
        while i >= 0:
            fine = i + len(nome)
            if attributo == "id":
                inizio = i - 5
                ok = inizio >= 0 and corpo[inizio].isspace() and corpo.startswith('id="', i - 4)
                ok = ok and corpo.startswith('"', fine)
            else:
                q = corpo.rfind('"', 0, i)
                inizio = q - 7
                ok = (
                    q >= 7
                    and corpo.startswith('class="', q - 6)
                    and corpo[inizio].isspace()
                    and (i == q + 1 or corpo[i - 1].isspace())
                    and (corpo.startswith('"', fine) or corpo[fine : fine + 1].isspace())
                )
            chiusura = corpo.find('"', fine) if ok else -1
            if chiusura >= 0:
                trovati.append((inizio, chiusura + 1))
            i = corpo.find(nome, i + 1)
    trovati.sort()
    return trovati


def _senza_esclusi(corpo: str) -> str:
    """corpo without the elements of ESCLUSI, each from its opening tag to the first closing tag
    of the same name: at most the element (a nested twin would end it early, never late)."""
    out, pos = [], 0
    for inizio, fine in _attributi_esclusi(corpo):
        if inizio < pos:
            continue  # inside an element already left out
        apre = corpo.rfind("<", pos, inizio)
        nome = _NOME_TAG.match(corpo, apre + 1) if apre >= 0 else None
        if nome is None or ">" in corpo[apre:inizio]:
            continue
        chiude = corpo.find(f"</{nome.group()}>", fine)
        if chiude < 0:
            continue
        out += [corpo[pos:apre], " "]
        pos = chiude + len(nome.group()) + 3
    if not out:
        return corpo
    out.append(corpo[pos:])
    return "".join(out)


_TESTA_GEMELLO = '<!DOCTYPE html><html lang="it"><head><meta charset="utf-8"></head><body>'


def gemello(pagina: str) -> str | None:
    """A page's search twin: what Pagefind needs of it (the content area, prepared); None for a
    page outside the index (no content area marked)."""
    inizio = pagina.find(INIZIO_CORPO)
    fine = pagina.find(FINE_CORPO, inizio)
    if inizio < 0 or fine < 0:
        return None
    return _TESTA_GEMELLO + prepara_per_indice(pagina[inizio : fine + len(FINE_CORPO)]) + "</div></body></html>"


def scrivi_gemelli(site_dir: Path, dest: Path) -> int:
    """Write the search twin of every built page under dest, at the page's path; how many."""
    site, n = str(site_dir), 0
    for cartella, sotto, nomi in os.walk(site):
        if cartella == site:
            sotto[:] = [d for d in sotto if d not in (CARTELLA, "assets")]
        fatta = False
        for nome in nomi:
            if not nome.endswith(".html"):
                continue
            with open(os.path.join(cartella, nome), encoding="utf-8") as f:
                testo = gemello(f.read())
            if testo is None:
                continue
            uscita = os.path.join(dest, os.path.relpath(cartella, site))
            if not fatta:
                os.makedirs(uscita, exist_ok=True)
                fatta = True
            with open(os.path.join(uscita, nome), "w", encoding="utf-8") as f:
                f.write(testo)
            n += 1
    return n


def _cartella_in_memoria(minimo: int = 1 << 30) -> str | None:
    """/dev/shm when it is there with room (a memory file system: the twins of 10,000 pages are
    60 MB, written in 1.9 s of CPU there and 11-14 s on this machine's disk right after a build);
    else None, the usual temporary folder. Containers often give /dev/shm 64 MB only."""
    try:
        v = os.statvfs("/dev/shm")
    except OSError:
        return None
    return "/dev/shm" if v.f_bavail * v.f_frsize >= minimo and os.access("/dev/shm", os.W_OK) else None


class IndicizzazioneFallita(Exception):
    pass


@contextlib.contextmanager
def _su_un_core():
    """Pagefind started from here runs on one core: on two its threads spent a third of its CPU
    waiting for each other (futex; 25.8 s of CPU at 10,000 pages, 18.4 s on one core, the same
    wall time). The calling thread's affinity is what a child inherits (Linux: per thread), so
    the preview's other threads keep both cores."""
    prima = os.sched_getaffinity(0) if hasattr(os, "sched_setaffinity") else None
    if not prima or len(prima) < 2:
        yield
        return
    os.sched_setaffinity(0, {min(prima)})
    try:
        yield
    finally:
        os.sched_setaffinity(0, prima)


def eseguibile() -> Path:
    from pagefind_bin import get_executable

    return get_executable()


def indicizza(site_dir: Path) -> float:
    """Index the built site with Pagefind into site_dir/pagefind; returns the seconds it took."""
    site_dir = Path(site_dir)
    out = site_dir / CARTELLA
    shutil.rmtree(out, ignore_errors=True)
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="atlante-gemelli-", dir=_cartella_in_memoria()) as gemelli:
        scrivi_gemelli(site_dir, Path(gemelli))
        comando = [
            str(eseguibile()),
            "--site",
            gemelli,
            "--output-path",
            str(out.resolve()),
            "--force-language",
            "it",
            "--exclude-selectors",
            ESCLUSI,
            "--silent",
        ]
        with _su_un_core():
            r = subprocess.run(comando, capture_output=True, text=True, check=False)
    secondi = time.perf_counter() - t0
    if r.returncode != 0 or not (out / "pagefind.js").is_file():
        raise IndicizzazioneFallita(f"Pagefind non ha indicizzato il sito: {(r.stderr or r.stdout).strip()[-2000:]}")
    for nome in _SUPERFLUI:
        (out / nome).unlink(missing_ok=True)
    return secondi
