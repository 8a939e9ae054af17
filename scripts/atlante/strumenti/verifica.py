"""Checks on a built site as a whole: internal links and anchors, external links listed.

Nothing here fetches the network: external links are only collected, for a person to review.
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup

_LINK_ATTRS = (("a", "href"), ("link", "href"), ("script", "src"), ("img", "src"), ("source", "src"), ("iframe", "src"))


@dataclass(frozen=True)
class LinkRotto:
    pagina: str  # site-relative path of the page holding the link
    link: str
    motivo: str

    def text(self) -> str:
        return f"{self.pagina}: {self.link}: {self.motivo}"


@dataclass
class EsitoLink:
    rotti: list[LinkRotto]
    esterni: dict[str, set[str]]  # URL -> pages linking it
    pagine: int


def _ids(soup: BeautifulSoup) -> set[str]:
    return {t["id"] for t in soup.find_all(id=True)} | {t["name"] for t in soup.find_all("a", attrs={"name": True})}


def _target_file(site: Path, page_rel: str, path: str) -> tuple[Path, str]:
    """The file a site-relative link points at, as (file, its site-relative POSIX path)."""
    base = posixpath.dirname(page_rel)
    joined = (
        posixpath.normpath(posixpath.join("/" + base, path)) if not path.startswith("/") else posixpath.normpath(path)
    )
    rel = joined.lstrip("/")
    target = site / rel
    if path.endswith("/") or target.is_dir():
        target = target / "index.html"
        rel = posixpath.join(rel, "index.html") if rel else "index.html"
    return target, rel


def verifica_link(site: Path, site_url: str | None = None) -> EsitoLink:
    """Every internal link and anchor of every HTML page resolves; external URLs are listed."""
    site = site.resolve()
    own_host = urlsplit(site_url).netloc if site_url else None
    own_prefix = urlsplit(site_url).path if site_url else "/"
    pages = sorted(site.rglob("*.html"))
    soups: dict[str, BeautifulSoup] = {}
    ids_cache: dict[str, set[str]] = {}

    def soup_of(rel: str) -> BeautifulSoup:
        if rel not in soups:
            soups[rel] = BeautifulSoup((site / rel).read_text(encoding="utf-8", errors="replace"), "html.parser")
        return soups[rel]

    rotti: list[LinkRotto] = []
    esterni: dict[str, set[str]] = defaultdict(set)
    for page in pages:
        rel = page.relative_to(site).as_posix()
        soup = soup_of(rel)
        for tag, attr in _LINK_ATTRS:
            for el in soup.find_all(tag, attrs={attr: True}):
                link = el[attr].strip()
                parts = urlsplit(link)
                if parts.scheme in ("mailto", "tel", "data", "javascript") or link.startswith("#") and not link[1:]:
                    continue
                if parts.scheme or parts.netloc:
                    if own_host and parts.netloc == own_host:
                        path = parts.path[len(own_prefix) - 1 :] if parts.path.startswith(own_prefix) else parts.path
                        parts = urlsplit(path + (f"#{parts.fragment}" if parts.fragment else ""))
                    else:
                        esterni[link].add(rel)
                        continue
                if not parts.path:  # same-page anchor
                    target_rel = rel
                else:
                    target, target_rel = _target_file(site, rel, unquote(parts.path))
                    if not target.is_file():
                        rotti.append(LinkRotto(rel, link, "la destinazione non esiste"))
                        continue
                frag = unquote(parts.fragment)
                if frag and target_rel.endswith(".html"):
                    if target_rel not in ids_cache:
                        ids_cache[target_rel] = _ids(soup_of(target_rel))
                    if frag not in ids_cache[target_rel]:
                        rotti.append(LinkRotto(rel, link, f"l'ancora #{frag} non esiste nella pagina di destinazione"))
        soups.pop(rel, None) if rel not in ids_cache else None  # keep memory flat on big sites
    return EsitoLink(rotti=rotti, esterni=dict(esterni), pagine=len(pages))
