"""Shared tools of the page families: templates, safe Markdown, JSON-LD, links between pages.

HTML lives in templates under site_overrides/atlante/, rendered by a Jinja2 environment with
autoescape on: a record value can never reach the page unescaped. The generated Markdown page is
front matter plus one raw HTML block, so Python-Markdown leaves our (already escaped) HTML alone.
"""
from __future__ import annotations

import datetime as dt
import html
import json
import posixpath
import re
from functools import lru_cache
from pathlib import Path

from jinja2 import ChainableUndefined, Environment, FileSystemLoader
from markupsafe import Markup

from atlante.lettura.frontmatter import data_italiana  # one home for Italian month names


def come_data(v) -> dt.date | None:
    """A date from a record value: the YAML loader may give a date or its ISO string."""
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    if isinstance(v, str):
        try:
            return dt.date.fromisoformat(v.strip())
        except ValueError:
            return None
    return None


def data_it(d) -> str:
    """20 novembre 2026 (a date, or the ISO string a YAML loader may leave)."""
    if isinstance(d, str):
        try:
            d = dt.date.fromisoformat(d)
        except ValueError:
            return d
    if isinstance(d, dt.datetime):
        d = d.date()
    if not isinstance(d, dt.date):
        return "" if d is None else str(d)
    return data_italiana(d)


def numero_it(n) -> str:
    """160.531 (Italian thousands separator)."""
    return f"{n:,}".replace(",", ".") if isinstance(n, int) else str(n)


@lru_cache(maxsize=1)
def _markdown():
    from markdown_it import MarkdownIt

    # commonmark with html=False: raw HTML in descrizione is shown as text, never as markup;
    # markdown-it's validateLink already refuses javascript:, vbscript:, file: and most data: links.
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


def markdown_sicuro(testo) -> Markup:
    if not isinstance(testo, str) or not testo.strip():
        return Markup("")
    return Markup(_markdown().render(testo))


_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def json_ld(obj) -> Markup:
    """JSON for a <script type="application/ld+json">: no value can close the script tag."""
    testo = json.dumps(obj, ensure_ascii=False, indent=None, separators=(",", ":"), default=str)
    for ch, esc in _JSON_ESCAPES.items():
        testo = testo.replace(ch, esc)
    return Markup(testo)


def url_di(pagina: str) -> str:
    """Site URL (relative to the root, directory style) of a docs path: a/b.md -> a/b/, a/index.md -> a/."""
    if not pagina.endswith(".md"):
        return pagina  # a data file or asset keeps its name
    base = pagina[:-3]
    if base == "index" or base.endswith("/index"):
        base = base[: -len("index")]
        return base
    return base + "/"


def link(da: str, a: str) -> str:
    """Relative link from page `da` to page or file `a` (docs paths), as MkDocs would write it."""
    dest = url_di(a)
    rel = posixpath.relpath("/" + dest, "/" + url_di(da))
    if dest.endswith("/") or dest == "":
        return "./" if rel == "." else rel + "/"
    return rel


def pagina_md(titolo: str, corpo: str, descrizione: str | None = None, nascondi: tuple = (),
              fuori_ricerca: bool = False) -> str:
    """Front matter + one raw HTML block. Material prints meta.title and meta.description into
    <title>, the header and <meta> without escaping, so they are stored HTML-escaped here.
    fuori_ricerca: the search engine must not index the HTML (ricerca.pagina_con_voce gives such
    pages their entry)."""
    meta: dict = {"title": html.escape(titolo, quote=True)}
    if descrizione:
        meta["description"] = html.escape(" ".join(descrizione.split())[:300], quote=True)
    if nascondi:
        meta["hide"] = list(nascondi)
    if fuori_ricerca:
        meta["search"] = {"exclude": True}
    return f"---\n{front_matter(meta)}---\n\n{corpo.strip()}\n"


# Characters YAML does not allow raw in a double-quoted scalar (or reads as line breaks) that JSON
# leaves raw: C1 controls, NEL, the Unicode line/paragraph separators, BOM and non-characters.
_NON_YAML = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")


def yaml_scalare(valore) -> str:
    """A value as YAML flow text: JSON (a subset of YAML) with what YAML reads differently escaped."""
    testo = json.dumps(valore, ensure_ascii=False, separators=(", ", ": "))
    return _NON_YAML.sub(lambda m: f"\\u{ord(m.group()):04x}", testo)


def front_matter(meta: dict) -> str:
    """Front matter lines for plain values (a few times faster than yaml.safe_dump: one per page)."""
    return "".join(f"{k}: {yaml_scalare(v)}\n" for k, v in meta.items())


_AMBIENTI: dict[Path, Environment] = {}


def ambiente(root: Path) -> Environment:
    """The Jinja2 environment of a project (templates in site_overrides/atlante/), cached."""
    cartella = Path(root) / "site_overrides" / "atlante"
    env = _AMBIENTI.get(cartella)
    if env is None:
        env = Environment(loader=FileSystemLoader(str(cartella)), autoescape=True,
                          trim_blocks=True, lstrip_blocks=True, undefined=ChainableUndefined)
        env.filters.update(data_it=data_it, numero_it=numero_it, markdown=markdown_sicuro)
        _AMBIENTI[cartella] = env
    return env


def render(ctx, nome: str, **valori) -> str:
    return ambiente(ctx.progetto.root).get_template(nome).render(**valori)
