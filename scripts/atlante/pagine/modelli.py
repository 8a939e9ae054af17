"""The one rendering path of the generated pages: one Jinja2 environment, the escapers, the markdown.

Every template lives in pagine/modelli/ and is rendered with autoescape on, so a value from a
record, a news post, a verbale or a setting reaches HTML only as text. Text that is Markdown by
contract (a record's `descrizione`, a reserved verbale's text) goes through `markdown_sicuro`,
which has raw HTML off. Hand-built Markdown (lists, link texts, table cells) escapes values with
`md_testo` or the `md` filter.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from pathlib import Path

from jinja2 import ChainableUndefined, Environment, FileSystemLoader
from markupsafe import Markup, escape

from atlante.base.formato import data_it, del_giorno, dimensione, numero

CARTELLA_MODELLI = Path(__file__).parent / "modelli"


def md(v) -> Markup:
    """Escape for a Markdown table cell: HTML-escaped, pipes, braces (attr_list) and line breaks neutralised."""
    s = str(escape(v)).replace("|", "&#124;").replace("{", "&#123;").replace("}", "&#125;").replace("\n", " ")
    return Markup(s)


def md_testo(s: str) -> str:
    """Plain text safe inside Markdown headings, link text or list items: no HTML, no Markdown
    syntax, no attr_list `{: ...}` (braces are backslash-escaped, which Python-Markdown honours)."""
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"([\\`*_\[\]#|!{}])", r"\\\1", s)


def _esterno(src: str) -> bool:
    return bool(re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*:|//|\\\\)", src.strip()))


def _ancore(state) -> None:
    """Headings get ids (as Python-Markdown's toc would give them), unique within the text."""
    from atlante.base.formato import slug

    visti: dict[str, int] = {}
    toks = state.tokens
    for i, tok in enumerate(toks):
        if tok.type == "heading_open" and i + 1 < len(toks):
            base = slug(toks[i + 1].content, 80) or "sezione"
            n = visti.get(base, 0)
            visti[base] = n + 1
            tok.attrSet("id", base if n == 0 else f"{base}_{n}")


def _indirizzi(state) -> None:
    """Relative links and images are written against the docs path of the page (env["pagina"]), the
    way MkDocs rewrites them in the Markdown it parses itself: `../verbali/index.md` -> `../../verbali/`."""
    import posixpath

    from atlante.modello.percorsi import link

    pagina = state.env.get("pagina") if isinstance(state.env, dict) else None
    if not pagina:
        return
    for tok in state.tokens:
        for figlio in tok.children or ():
            chiave = "href" if figlio.type == "link_open" else "src" if figlio.type == "image" else None
            valore = str(figlio.attrGet(chiave) or "") if chiave else ""
            if not valore or _esterno(valore) or valore.startswith(("/", "#", "?")):
                continue
            percorso, _, frammento = valore.partition("#")
            dest = posixpath.normpath(posixpath.join(posixpath.dirname(pagina), percorso))
            figlio.attrSet(chiave, link(pagina, dest) + (f"#{frammento}" if frammento else ""))


def _immagine(self, tokens, idx, options, env):
    """An image from another site is shown as its description: no visitor's browser calls that host."""
    tok = tokens[idx]
    if _esterno(str(tok.attrGet("src") or "")):
        return str(escape(self.renderInlineAsText(tok.children or [], options, env)))
    return self.image(tokens, idx, options, env)


@lru_cache(maxsize=2)
def _markdown(tabelle: bool = False):
    from markdown_it import MarkdownIt

    # commonmark with html=False: raw HTML in the text is shown as text, never as markup;
    # markdown-it's validateLink already refuses javascript:, vbscript:, file: and most data: links.
    # No attr_list or other attribute syntax exists here: `{: onfocus=...}` stays text.
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    if tabelle:
        md.enable("table")
    md.core.ruler.push("atlante_ancore", _ancore)
    md.core.ruler.push("atlante_indirizzi", _indirizzi)
    md.add_render_rule("image", _immagine)
    return md


# One line of prose with no character Markdown gives a meaning to (and starting with a letter, so
# no list, heading or quote): markdown-it would make it one escaped paragraph. Most descriptions
# are such a line; tests/test_impaginazione.py compares this shortcut with markdown-it.
_PROSA_SEMPLICE = re.compile(r"[^\W\d_][^\\`*_\[\]!<>&|~{}\n\r\t\x00]*")


def markdown_sicuro(testo, tabelle: bool = False, pagina: str | None = None) -> Markup:
    """HTML from untrusted Markdown (records' descriptions, news and verbali bodies, reserved
    texts): raw HTML off, dangerous link schemes refused, images from other sites not loaded.
    pagina: the docs path the HTML is published at, for relative links."""
    if not isinstance(testo, str) or not testo.strip():
        return Markup("")
    riga = testo.rstrip()
    if _PROSA_SEMPLICE.fullmatch(riga):
        return Markup("<p>" + riga.replace('"', "&quot;") + "</p>\n")
    return Markup(_markdown(tabelle).render(testo, {"pagina": pagina}))


def blocco_markdown(testo: str, pagina: str, classe: str = "atlante-testo") -> str:
    """The Markdown body of the page at docs path `pagina` as one raw HTML block: Python-Markdown
    (with its attr_list, raw HTML, admonitions) never parses the untrusted text itself."""
    return f'<div class="{classe}">\n{markdown_sicuro(testo, tabelle=True, pagina=pagina)}</div>\n'


_METODI_DI_DICT = frozenset(dir(dict))


class _Ambiente(Environment):
    """Jinja's environment, with `x.chiave` on a plain dict read as a key at once: Jinja tries the
    attribute first and raises inside for every such lookup (most of a record page's values are
    dict keys). Same result: a dict's own methods (`x.items`) still come first."""

    def getattr(self, obj, attribute: str):
        if type(obj) is dict and attribute not in _METODI_DI_DICT:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


def cache_compilati():
    """Jinja's own cache of compiled templates, in its default per-user folder (private, checked by
    Jinja): each template is compiled again only when its source or the Python and Jinja versions
    change. Used for these templates and, through the hook, for the theme's (compiling Material's
    took about 0.3 s of every build). None where the folder cannot be used: templates are then
    compiled each time, as before."""
    from jinja2 import FileSystemBytecodeCache

    try:
        return FileSystemBytecodeCache()
    except (OSError, RuntimeError):
        return None


@lru_cache(maxsize=1)
def ambiente() -> Environment:
    env = _Ambiente(
        bytecode_cache=cache_compilati(),
        loader=FileSystemLoader(CARTELLA_MODELLI),
        autoescape=True,
        undefined=ChainableUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        numero=numero, dimensione=dimensione, md=md, data_it=data_it, del_giorno=del_giorno, markdown=markdown_sicuro
    )
    return env


@cache
def _modello(nome: str):
    # Jinja's own cache checks each template file's mtime on every lookup (a stat per page);
    # the templates are package code, loaded once like the modules.
    return ambiente().get_template(nome)


def rendi(nome: str, **dati) -> str:
    return _modello(nome).render(**dati)
