"""dati/enti.geojson and dati/confini.geojson, read back with shapely, and the map page's HTML."""

from __future__ import annotations

import json
import re

from bs4 import BeautifulSoup
from shapely.geometry import shape

from aiuti import ROOT
from atlante.lettura.progetto import Progetto
from atlante.lettura.records import load_records
from atlante.mappe.geodati import enti_geojson
from atlante.mappe.pagina import pagina_mappa
from atlante.motore import genera as gen


def _ctx(progetto):
    return gen.contesto(progetto, config={"atlante": {}})


def test_exact_and_approximate_positions_and_pact(progetto_vuoto, scrivi):
    scrivi(
        "ets",
        "esatta.yml",
        """
        nome: Ente con posizione
        comune: Crema
        posizione: {lat: 45.3649, lon: 9.6881}
        temi: [anziani]
        verificato_il: 2026-01-10
        """,
    )
    scrivi(
        "biblioteca",
        "senza-posizione.yml",
        """
        nome: Biblioteca senza posizione
        comune: Casale Cremasco
        verificato_il: 2026-01-10
        """,
    )
    scrivi(
        "patto",
        "patto-due-comuni.yml",
        """
        nome: Patto di due comuni
        comuni: [Crema, Gomito]
        verificato_il: 2026-01-10
        """,
    )
    scrivi(
        "ets",
        "sintetica.yml",
        """
        nome: Scheda sintetica
        comune: Crema
        verificato_il: 2026-01-10
        sintetico: true
        """,
    )
    terr = progetto_vuoto.territorio
    feats = {f["properties"]["id"]: f for f in enti_geojson(_ctx(progetto_vuoto))["features"]}
    assert set(feats) == {"esatta", "senza-posizione", "patto-due-comuni"}  # synthetic never published

    e = feats["esatta"]
    assert e["geometry"] == {"type": "Point", "coordinates": [9.6881, 45.3649]}
    assert e["properties"] == {
        "id": "esatta",
        "nome": "Ente con posizione",
        "tipo": "ets",
        "tipo_etichetta": "Ente del Terzo Settore",
        "comune": "Crema",
        "istat": "019035",
        "sub_ambito": "crema",
        "approssimata": False,
        "temi": ["anziani"],
        "url": "enti/ets/esatta/",
    }

    a = feats["senza-posizione"]
    casale = terr.trova("Casale Cremasco")  # an alias resolves to the official comune
    assert a["properties"]["comune"] == casale.nome and a["properties"]["approssimata"] is True
    assert a["geometry"]["coordinates"] == [round(casale.lon, 5), round(casale.lat, 5)]
    assert a["properties"]["url"] == "enti/biblioteche/senza-posizione/"

    p = feats["patto-due-comuni"]
    assert p["geometry"]["type"] == "MultiPoint" and len(p["geometry"]["coordinates"]) == 2
    assert p["properties"]["comuni"] == ["019035", "019049"]
    assert p["properties"]["sub_ambito"] is None  # Crema and Gombito are in two sub-ambiti
    # each point of the pact falls inside its comune's boundary
    confini = {f["properties"]["istat"]: shape(f["geometry"]) for f in terr.confini_geojson["features"]}
    for istat, xy in zip(p["properties"]["comuni"], p["geometry"]["coordinates"]):
        assert confini[istat].contains(shape({"type": "Point", "coordinates": xy}))


def test_site_files_match_published_records(sito):
    geo = json.loads((sito / "dati" / "enti.geojson").read_text(encoding="utf-8"))
    pubblicate = load_records(Progetto(ROOT), include_synthetic=False)
    assert sorted(f["properties"]["id"] for f in geo["features"]) == sorted(r.id for r in pubblicate)
    for f in geo["features"]:
        # every url is a page of the site (when record pages exist) or at least the agreed scheme
        assert re.fullmatch(r"enti/(ets|biblioteche|udo|patti|servizi)/[a-z0-9-]+/", f["properties"]["url"])
    confini = json.loads((sito / "dati" / "confini.geojson").read_text(encoding="utf-8"))
    assert len(confini["features"]) == 48
    assert {f["properties"]["sub_ambito"] for f in confini["features"]} == {
        "pandino",
        "sergnano",
        "bagnolo-cremasco",
        "soncino",
        "castelleone",
        "crema",
    }
    colori = {f["properties"]["sub_ambito"]: f["properties"]["colore"] for f in confini["features"]}
    assert len(set(colori.values())) == 6  # one colour per sub-ambito
    assert all(re.fullmatch(r"#[0-9A-F]{6}", f["properties"]["colore"]) for f in confini["features"])
    assert "CC BY 4.0" in confini["attribution"]


def _decodifica_punti(dati: dict) -> dict:
    """Test oracle of atlante-mappe.js's featureDaRiga: rows back to (id -> properties, lon/lat)."""
    assert dati["campi"] == ["id", "nome", "tipo", "comuni", "lon", "lat", "approssimata", "temi"]
    out = {}
    for id_, nome, t, comuni, lon, lat, approx, temi in dati["punti"]:
        tipo = dati["tipi"][t]
        out[id_] = {
            "nome": nome,
            "tipo": tipo["id"],
            "tipo_etichetta": tipo["etichetta"],
            "url": tipo["url"] + id_ + "/",
            "comuni": [dati["comuni"][i]["istat"] for i in comuni],
            "nomi_comuni": [dati["comuni"][i]["nome"] for i in comuni],
            "approssimata": approx == 1,
            "temi": [dati["temi"][i] for i in temi],
            "xy": [lon, lat],
        }
    return out


def test_map_points_match_the_geojson(sito):
    """mappa/punti.json, what the maps load, says exactly what the open-data enti.geojson says."""
    geo = json.loads((sito / "dati" / "enti.geojson").read_text(encoding="utf-8"))
    punti = _decodifica_punti(json.loads((sito / "mappa" / "punti.json").read_text(encoding="utf-8")))
    assert list(punti) == [f["properties"]["id"] for f in geo["features"]]  # same points, same order
    for f in geo["features"]:
        p, d = f["properties"], punti[f["properties"]["id"]]
        assert (d["nome"], d["tipo"], d["tipo_etichetta"], d["url"], d["approssimata"], d["temi"]) == (
            p["nome"],
            p["tipo"],
            p["tipo_etichetta"],
            p["url"],
            p["approssimata"],
            p["temi"],
        )
        assert d["comuni"] == (p.get("comuni") or [p["istat"]])
        assert ", ".join(d["nomi_comuni"]) == p["comune"]
        coords = f["geometry"]["coordinates"]
        assert d["xy"] == (coords if f["geometry"]["type"] == "Point" else coords[0])


def test_points_per_comune(sito):
    """mappa/comuni/<istat>.json: exactly the points of that comune (a pact in each of its comuni)."""
    geo = json.loads((sito / "dati" / "enti.geojson").read_text(encoding="utf-8"))
    file = sorted((sito / "mappa" / "comuni").glob("*.json"))
    assert len(file) == 48  # every comune of the Ambito, even without points
    for f in file:
        punti = _decodifica_punti(json.loads(f.read_text(encoding="utf-8")))
        attesi = [
            g["properties"]["id"]
            for g in geo["features"]
            if f.stem in (g["properties"].get("comuni") or [g["properties"]["istat"]])
        ]
        assert list(punti) == attesi, f.name
    crema = _decodifica_punti(json.loads((sito / "mappa/comuni/019035.json").read_text(encoding="utf-8")))
    assert "pua-crema" in crema and "patto-d-ambito-2023" in crema


def test_map_points_are_small(progetto_vuoto, scrivi):
    """Issue 4: what the map loads grows by at most 200 bytes per point (here with long values)."""
    from atlante.mappe.geodati import compatto, punti_mappa

    def dimensione(n):
        for i in range(n):
            scrivi(
                "ets",
                f"associazione-di-volontariato-numero-{i}.yml",
                f"nome: Associazione di volontariato numero {i} del Cremasco\ncomune: Crema\n"
                f"temi: [anziani, disabilita]\nverificato_il: 2026-01-10\n",
            )
        return len(compatto(punti_mappa(_ctx(progetto_vuoto))).encode("utf-8"))

    a, b = dimensione(10), dimensione(60)
    assert (b - a) / 50 <= 200


def test_map_page_without_external_resources(sito):
    html = (sito / "mappa" / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    for tag, attr in (("script", "src"), ("link", "href"), ("img", "src")):
        for t in soup.find_all(tag):
            url = t.get(attr) or ""
            if tag == "link" and set(t.get("rel") or []) & {"canonical", "alternate"}:
                continue  # links to pages, not loaded resources
            assert not re.match(r"(https?:)?//", url), f"risorsa esterna: {url}"
    assert "cdn" not in html.lower() and "jquery" not in html.lower() and "bootstrap" not in html.lower()
    # folium's skeleton is there without tiles: the background is added only when the visitor asks
    script = next(s.string for s in soup.find_all("script") if s.string and "atlanteReteInit" in s.string)
    assert "tileLayer" not in script and "tile.openstreetmap.org" not in script
    # the tile settings reach the map script, which uses them only on request
    config = next(s.string for s in soup.find_all("script") if s.string and "atlanteTiles" in s.string)
    assert "https://tile.openstreetmap.org/{z}/{x}/{y}.png" in config
    assert soup.select_one("#atlante-rete .folium-map")
    assert soup.select_one("#atlante-elenco caption")
    # the vendored libraries are served by the site
    for f in (
        "assets/vendor/leaflet/leaflet.js",
        "assets/vendor/leaflet.markercluster/leaflet.markercluster.js",
        "assets/javascripts/atlante-mappe.js",
        "assets/stylesheets/atlante-mappe.css",
    ):
        assert (sito / f).is_file(), f


def test_map_page_does_not_grow_with_records(progetto_vuoto, scrivi):
    """The page is constant in the number of records: points live only in enti.geojson."""
    vuota = pagina_mappa(_ctx(progetto_vuoto))
    for i in range(30):
        scrivi("ets", f"ente-{i}.yml", f"nome: Ente numero {i}\ncomune: Crema\nverificato_il: 2026-01-10\n")
    piena = pagina_mappa(_ctx(progetto_vuoto))
    assert "Ente numero" not in piena
    assert len(piena) - len(vuota) < 100  # only the comune filter gains Crema


def test_tiles_configurabili(progetto_vuoto):
    ctx = gen.contesto(
        progetto_vuoto,
        config={
            "atlante": {"tiles_url": "https://tiles.comune.example/{z}/{x}/{y}.png", "tiles_attribution": "Comune"}
        },
    )
    # the page itself never names a tile server: the settings reach the map script (partial)
    testo = pagina_mappa(ctx)
    assert "tiles.comune.example" not in testo and "openstreetmap" not in testo


def test_map_skeleton_is_kept_between_builds_and_made_again_when_its_inputs_change(
    progetto_vuoto, tmp_path, monkeypatch
):
    """The folium skeleton of the map page is kept in the user's cache under a key of what it depends on: a
    second build reads it (no folium), a changed territory or a damaged file makes it again, and
    what is read is always what folium writes now."""
    import inspect

    from atlante.mappe import pagina
    from atlante.mappe.pagina import cache_scheletro, scheletro, scheletro_e_salva, scheletro_salvato

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    p = progetto_vuoto
    assert not cache_scheletro().is_relative_to(p.root)  # never a file a proposed change could commit
    assert scheletro_salvato(p) is None  # a fresh checkout has no cache
    fatto = scheletro_e_salva(p, None)
    assert fatto == scheletro(p, None)
    assert scheletro_salvato(p) == fatto
    assert "import folium" in inspect.getsource(pagina.scheletro)  # the key covers the code that writes it

    cache = cache_scheletro()
    voce = json.loads(cache.read_text(encoding="utf-8"))
    voce["scheletro"][1] = "alert(1)"  # a stale or tampered value under another key is never used
    voce["chiave"] = "0" * 64
    cache.write_text(json.dumps(voce), encoding="utf-8")
    assert scheletro_salvato(p) is None
    cache.write_text("{rotto", encoding="utf-8")
    assert scheletro_salvato(p) is None

    scheletro_e_salva(p, None)
    # another Ambito (the centre moves): the kept skeleton no longer matches
    altro = Progetto(p.root)
    primo = next(iter(altro.territorio.comuni.values()))
    object.__setattr__(primo, "lat", primo.lat + 1)
    assert scheletro_salvato(altro) is None
