"""The text rules: what any contributed text may contain, whoever wrote it and wherever it goes.

One module for records, news, verbali and organi (and for the schemas that will replace the
hand-written verbali/news checks): a value is checked by `problemi_testo`, a whole front matter by
`controlla_valori`, a Markdown body by `controlla_corpo`. The pages escape everything anyway;
these rules tell the contributor early, with file and line, instead of publishing odd text or
letting a later step (lxml in the feeds, a terminal) trip over it.

Refused everywhere: control characters (a YAML "\\e" or "\\0" included), bidirectional overrides
(U+202A-U+202E, U+2066-U+2069: they make text read differently from what it is), raw HTML,
`javascript:`/`data:`/`vbscript:`/`file:` links, images from other sites (every visitor's browser
would call that host). Refused in one-line fields: line breaks.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

# Fields that may span several lines (Markdown or long prose); every other text field is one line.
MULTIRIGA = frozenset(
    {"descrizione", "note", "nota_estratto", "accesso", "esito", "composizione", "obiettivi", "finanziamento"}
)

# A tag (<b>, </p>, <img ...>, <!-- -->, <?php) but not an autolink (<https://...>, <a@b.it>).
_HTML_RE = re.compile(r"<\s*/?\s*[a-zA-Z][a-zA-Z0-9-]*(?:\s|/?>|$)|<[!?]|<\s*(script|iframe|style|img|svg)\b", re.I)
# Inline links, autolinks and reference definitions with a scheme that runs code or embeds data.
_BAD_LINK_RE = re.compile(r"(\]\(\s*<?|<|^\s*\[[^\]]*\]:\s*<?)\s*(javascript|data|vbscript|file)\s*:", re.I | re.M)
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_A_CAPO = frozenset("\n\r\u2028\u2029\x85\x0b\x0c")
# Anything outside plain printable text: checked char by char only when this matches.
_SOSPETTO = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _cod(ch: str) -> str:
    return f"U+{ord(ch):04X}"


def problemi_testo(testo: str, una_riga: bool = True) -> list[tuple[int, str, str | None]]:
    """The problems of one text as (line within the text, 0-based; message; hint), in Italian."""
    out: list[tuple[int, str, str | None]] = []
    if _SOSPETTO.search(testo):
        out.extend(_caratteri(testo, una_riga))
    m = _HTML_RE.search(testo)
    if m:
        out.append(
            (
                testo.count("\n", 0, m.start()),
                "HTML non ammesso nel testo",
                "togli i tag tra < e >: per il grassetto usa **testo**",
            )
        )
    m = _BAD_LINK_RE.search(testo)
    if m:
        out.append(
            (
                testo.count("\n", 0, m.start()),
                f"collegamento non ammesso ({m.group(2).lower()}:)",
                "usa solo indirizzi https:// o collegamenti alle pagine del sito",
            )
        )
    if "![" in testo:
        out.extend(_immagini_esterne(testo))
    return out


def _caratteri(testo: str, una_riga: bool) -> list[tuple[int, str, str | None]]:
    out: list[tuple[int, str, str | None]] = []
    a_capo = (0, "a capo non ammesso: il campo è di una sola riga", "scrivi tutto su una riga")
    if una_riga and "\n" in testo.strip("\n"):
        out.append(a_capo)
    visti = set()
    for riga, linea in enumerate(testo.split("\n")):
        for ch in linea:
            if ch in visti or ch == "\t" or (ch == "\r" and not una_riga):
                continue
            if ch in _A_CAPO and una_riga:
                out.append((riga, *a_capo[1:]))
            elif ch in _BIDI:
                out.append(
                    (
                        riga,
                        f"carattere che inverte la direzione del testo non ammesso ({_cod(ch)}): "
                        "fa apparire il testo diverso da com'è",
                        "togli il carattere (spesso arriva da un copia e incolla)",
                    )
                )
            elif ch in _A_CAPO or unicodedata.category(ch) == "Cc":
                out.append(
                    (
                        riga,
                        f"carattere di controllo non ammesso ({_cod(ch)})",
                        'togli il carattere: tra virgolette doppie in YAML "\\e" e "\\0" sono caratteri di controllo',
                    )
                )
            else:
                continue
            visti.add(ch)
    return out


def _immagini_esterne(testo: str) -> list[tuple[int, str, str | None]]:
    """Markdown images whose address leaves the site (a scheme or //host), found by the parser the
    pages use, so reference-style images and odd spacing are caught too."""
    from markdown_it import MarkdownIt

    out = []
    for tok in MarkdownIt("commonmark").enable("table").parse(testo):
        for figlio in tok.children or ():
            if figlio.type != "image":
                continue
            src = str(figlio.attrs.get("src", "")).strip()
            if re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*:|//|\\\\)", src):
                riga = tok.map[0] if tok.map else 0
                out.append(
                    (
                        riga,
                        f"immagine esterna non ammessa ({src[:80]}): ogni visitatore la chiederebbe a un "
                        "altro sito, che saprebbe chi legge la pagina",
                        "metti l'immagine nel sito e usa un indirizzo relativo, oppure metti un collegamento",
                    )
                )
    return out


def _chiave(kp: tuple) -> str | None:
    return next((k for k in reversed(kp) if isinstance(k, str)), None)


def controlla_valori(valore, add: Callable, kp: tuple = (), multiriga=MULTIRIGA) -> None:
    """Every text in a front matter or record: add(kp, message, hint) for each problem."""
    if isinstance(valore, str):
        for _riga, msg, hint in problemi_testo(valore, una_riga=_chiave(kp) not in multiriga):
            add(kp, msg, hint)
    elif isinstance(valore, dict):
        for k, v in valore.items():
            controlla_valori(v, add, kp + (k,), multiriga)
    elif isinstance(valore, list):
        for i, v in enumerate(valore):
            controlla_valori(v, add, kp + (i,), multiriga)


def controlla_corpo(corpo: str, riga_corpo: int, add_riga: Callable) -> None:
    """The Markdown body of a news post or verbale: add_riga(line in the file, message, hint)."""
    for riga, msg, hint in problemi_testo(corpo, una_riga=False):
        add_riga(riga_corpo + riga, msg, hint)


def controlla_testi(c, pagina) -> None:
    """A news post or verbale (a lettura.frontmatter.PaginaFM checked by its Controllo c): every
    front-matter text, then the Markdown body with the line of the file each problem is on."""
    controlla_valori(pagina.data, c.add)
    controlla_corpo(pagina.corpo, pagina.riga_corpo, lambda riga, msg, hint: c.add(("testo",), msg, hint, riga=riga))
