"""Every path and URL of the site, in one place.

A page has a docs path (`enti/ets/x.md`, what MkDocs reads) and a site URL (`enti/ets/x/`, what a
browser asks for). The record page scheme `enti/<cartella>/<id>/` is also read by
site_overrides/assets/javascripts/atlante-mappe.js through the `url` of each map point.
"""

from __future__ import annotations

import posixpath
from functools import lru_cache

SEGNAPOSTO_SITE_URL = "http://127.0.0.1:8000/"  # `atlante serve` address, when site_url is unset
# The placeholder site_url shipped in mkdocs.yml: feeds, canonical links and CSV `url`s built with it
# point nowhere. `atlante build` prints a notice while it is set; the publish workflow refuses it.
SITE_URL_DA_IMPOSTARE = "https://atlante.example.org/"


def site_url_da_impostare(site_url) -> bool:
    """True while site_url is missing or still the placeholder of the shipped mkdocs.yml."""
    if not isinstance(site_url, str) or not site_url.strip():
        return True
    return site_url.strip().rstrip("/") + "/" == SITE_URL_DA_IMPOSTARE


def sorgente_scheda(tipo, rid: str) -> str:
    """The repository path of a record file."""
    return f"data/enti/{tipo.cartella}/{rid}.yml"


def cartella_tipo(tipo) -> str:
    return f"enti/{tipo.cartella}/"


def indice_tipo(tipo) -> str:
    return f"enti/{tipo.cartella}/index.md"


def pagina_scheda(tipo, rid: str) -> str:
    return f"enti/{tipo.cartella}/{rid}.md"


def pagina_comune(comune) -> str:
    return f"comuni/{comune.slug}.md"


def pagina_tema(tema_id: str) -> str:
    return f"temi/{tema_id}.md"


def pagina_sub_ambito(sub_id: str) -> str:
    return f"sub-ambiti/{sub_id}.md"


def pagina_guida(tipo) -> str:
    """Docs-relative path of a kind's field guide."""
    return f"partecipa/campi-{tipo.id}.md"


def pagina_organo(oid: str) -> str:
    return f"verbali/organi/{oid}.md"


def url_di(pagina: str) -> str:
    """Site URL (relative to the root, directory style) of a docs path: a/b.md -> a/b/, a/index.md -> a/."""
    if not pagina.endswith(".md"):
        return pagina  # a data file or asset keeps its name
    base = pagina[:-3]
    if base == "index" or base.endswith("/index"):
        return base[: -len("index")]
    return base + "/"


@lru_cache(maxsize=4096)
def _segmenti(pagina: str) -> tuple[str, tuple[str, ...]]:
    """A docs path's site URL and its folders (pages link the same comuni, temi and their own
    page over and over: kept, not split again)."""
    url = url_di(pagina)
    return url, tuple(x for x in url.split("/") if x)


def link(da: str, a: str) -> str:
    """Relative URL from page `da` to page or file `a` (docs paths), as MkDocs would write it:
    posixpath.relpath between the two site URLs (written out here: a record page makes dozens)."""
    dest, d = _segmenti(a)
    b = _segmenti(da)[1]
    comuni = 0
    while comuni < len(d) and comuni < len(b) and d[comuni] == b[comuni]:
        comuni += 1
    rel = "/".join([".."] * (len(b) - comuni) + list(d[comuni:])) or "."
    if dest.endswith("/") or dest == "":
        return "./" if rel == "." else rel + "/"
    return rel


def link_md(da: str, a: str) -> str:
    """Relative link between two docs paths, for Markdown that MkDocs resolves (and checks when strict)."""
    return posixpath.relpath(a, posixpath.dirname(da) or ".")


def base_assoluta(config: dict) -> str:
    """The site's absolute address, ending in '/': site_url, or the preview address when unset."""
    return (config.get("site_url") or SEGNAPOSTO_SITE_URL).rstrip("/") + "/"


def url_assoluto(config: dict, pagina: str) -> str:
    """Absolute URL of a docs path (or of a site URL already made with url_di)."""
    return base_assoluta(config) + url_di(pagina)
