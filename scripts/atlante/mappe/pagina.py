"""The network map page (mappa.md): folium writes the map skeleton, the points come from data.

Why not folium's markers: folium writes one JavaScript block per marker (5,000 markers made
5 MB of HTML) and inserts popup text as raw HTML. Here folium only writes the map and its
scale (a constant few hundred bytes; no tiles: the visitor asks for them);
site_overrides/assets/javascripts/atlante-mappe.js fetches
dati/enti.geojson and dati/confini.geojson (geodati.py), clusters the points, builds popups and
the list with textContent (so a record value is never HTML) and applies the filters.
Leaflet and markercluster are vendored under site_overrides/assets/vendor/ (no CDN): the page
never renders folium's header, which would load them, jQuery and Bootstrap from CDNs.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import os
import re
from functools import cache
from pathlib import Path

from markupsafe import Markup

from atlante.lettura.progetto import TIPI
from atlante.lettura.territorio import normalizza
from atlante.mappe.geodati import COLORI_SUB_AMBITI, comuni_della_feature, enti_geojson
from atlante.modello.sito import Contesto, Pagina
from atlante.pagine.modelli import rendi

NOME_MAPPA = "atlante"  # folium names the Leaflet map variable map_<id>


OPZIONE_SCHELETRO = "scheletro_mappa"  # the build may hand the skeleton in, made on another core


def scheletro(progetto, atlante: dict | None) -> tuple[str, str, str]:
    """(map div HTML, map script, JS variable name) from folium, centred on the Ambito.

    It depends only on the territory, not on the records: the build runs it
    in a forked process (parallelo.InParallelo) while the pages are generated, since importing
    folium alone takes half a second; folium is imported here, not by the module."""
    import folium

    centro = _centro(progetto)
    # No tile layer here: the background tiles are a third-party request, added by atlante-mappe.js
    # only after the visitor asks for them (window.atlanteTiles: partials/atlante-mappe.html).
    m = folium.Map(location=centro, zoom_start=11, tiles=None, control_scale=True)
    # folium names its objects after random uuids: fixed ids keep the build reproducible.
    m._id = NOME_MAPPA
    fig = m.get_root()
    fig.render()
    # Only the body parts: the header would load Leaflet, jQuery and Bootstrap from CDNs.
    html = fig.html.render().strip()
    script = _senza_righe_vuote(fig.script.render())
    return html, script, m.get_name()


def _centro(progetto) -> list[float]:
    comuni = list(progetto.territorio.comuni.values())
    if comuni:
        return [sum(c.lat for c in comuni) / len(comuni), sum(c.lon for c in comuni) / len(comuni)]
    return [45.0, 9.0]


def _senza_righe_vuote(js: str) -> str:
    # A blank line would end Python-Markdown's raw HTML block in the middle of the script.
    return "\n".join(line for line in js.splitlines() if line.strip())


# The skeleton is the same from one build to the next: kept in the user's cache folder under a key
# made of everything it depends on, so that a build spends the half second of importing folium only
# when one of those changes. Outside the repository: a proposed change could commit a file under the
# project's own .cache/ (git ignores it, but `git add -f` does not), and the skeleton is trusted HTML.


def cache_scheletro() -> Path:
    """~/.cache/atlante-di-comunita/mappa-scheletro.json (or under $XDG_CACHE_HOME)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "atlante-di-comunita" / "mappa-scheletro.json"


def _chiave_scheletro(progetto) -> str:
    """The Ambito's centre, the code above and the versions of the libraries that write it."""
    return hashlib.sha256(f"{_centro(progetto)!r}\n{_codice_e_versioni()}".encode()).hexdigest()


@cache
def _codice_e_versioni() -> str:
    # read once per process (30 ms): a cold build asks in the build and again, after the fork, to save
    from importlib.metadata import version

    parti = [inspect.getsource(scheletro), inspect.getsource(_senza_righe_vuote)]
    parti += [f"{nome} {version(nome)}" for nome in ("folium", "branca", "jinja2")]
    return "\n".join(parti)


def scheletro_salvato(progetto) -> tuple[str, str, str] | None:
    """The skeleton a previous build kept, if made from the same inputs; else None."""
    try:
        voce = json.loads(cache_scheletro().read_text(encoding="utf-8"))
        if voce["chiave"] == _chiave_scheletro(progetto):
            html, script, nome = voce["scheletro"]
            return str(html), str(script), str(nome)
    except (OSError, ValueError, KeyError, TypeError):
        pass  # no cache, another version, or a damaged file: made again
    return None


def scheletro_e_salva(progetto, atlante: dict | None) -> tuple[str, str, str]:
    """scheletro(), kept for the next builds; a cache that cannot be written is only skipped."""
    fatto = scheletro(progetto, atlante)
    dest = cache_scheletro()
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps({"chiave": _chiave_scheletro(progetto), "scheletro": fatto}), encoding="utf-8")
        os.replace(tmp, dest)  # whole or not at all: a build reading meanwhile sees the old file
    except OSError:
        tmp.unlink(missing_ok=True)
    return fatto


def pagina_mappa(ctx: Contesto) -> str:
    terr = ctx.territorio
    html, script, nome = ctx.opzioni.get(OPZIONE_SCHELETRO) or scheletro(ctx.progetto, ctx.config.get("atlante"))
    subs = sorted(terr.sub_ambiti.values(), key=lambda s: s.numero)
    comuni_con_punti = _comuni_con_punti(ctx)
    return rendi(
        "mappa.md.j2",
        ambito=terr.ambito.get("nome_breve") or terr.ambito.get("nome", "Ambito"),
        tipi=list(TIPI.values()),
        temi=[t for t in ctx.progetto.tassonomia("temi").values() if t["id"] in _temi_con_punti(ctx)],
        comuni=sorted(
            (c for c in terr.comuni.values() if c.istat in comuni_con_punti), key=lambda c: normalizza(c.nome)
        ),
        sub_ambiti=[
            {"numero": s.numero, "nome": s.nome, "colore": COLORI_SUB_AMBITI[i % len(COLORI_SUB_AMBITI)]}
            for i, s in enumerate(subs)
        ],
        mappa_html=Markup(html),
        mappa_script=Markup(script),
        mappa_nome=Markup(_identificatore(nome)),
    )


def _temi_con_punti(ctx: Contesto) -> set[str]:
    return {t for f in enti_geojson(ctx)["features"] for t in f["properties"].get("temi") or []}


def _comuni_con_punti(ctx: Contesto) -> set[str]:
    return {istat for f in enti_geojson(ctx)["features"] for istat in comuni_della_feature(f["properties"])}


def _identificatore(nome: str) -> str:
    if not re.fullmatch(r"[A-Za-z_$][\w$]*", nome):
        raise ValueError(f"nome di variabile JavaScript inatteso da folium: {nome!r}")
    return nome


def mappa(ctx: Contesto):
    yield Pagina("mappa.md", pagina_mappa(ctx))
