"""The DCAT-AP_IT catalogue of the open data (dati/catalogo.jsonld) and the "Dati aperti" page.

Both are late producers: they list every file generated under dati/ with its real byte size,
whoever made it (enti.geojson comes from the maps module). The catalogue does not list itself.
"""

from __future__ import annotations

import json
from pathlib import PurePosixPath

from atlante.esportazioni.dati_aperti import DELIMITATORE, SEPARATORE_LISTE, aggiornato_al, colonne, pubblicati
from atlante.lettura.progetto import TIPI
from atlante.modello.fonti import fonti_citate
from atlante.modello.percorsi import base_assoluta
from atlante.modello.sito import Contesto, Pagina
from atlante.pagine.modelli import rendi

CATALOGO = "dati/catalogo.jsonld"
LICENZA = "https://creativecommons.org/licenses/by/4.0/"

# extension -> (IANA media type, EU file-type authority code, label for people)
FORMATI = {
    ".csv": ("text/csv", "CSV", "CSV"),
    ".json": ("application/json", "JSON", "JSON"),
    ".geojson": ("application/geo+json", "GEOJSON", "GeoJSON"),
    ".jsonld": ("application/ld+json", "JSON_LD", "JSON-LD"),
    ".xml": ("application/xml", "XML", "XML"),
}
EU_FILETYPE = "http://publications.europa.eu/resource/authority/file-type/"

DESCRIZIONI = {
    "enti.json": "Tutte le schede pubblicate, con tutti i campi, in un unico file JSON.",
    "enti.geojson": "Le schede con una posizione, come punti GeoJSON (WGS84) per i programmi di mappe.",
    "confini.geojson": "I confini dei comuni dell'Ambito con il loro sub-ambito (ISTAT, elaborazione Openpolis).",
    "catalogo.jsonld": "Metadati del catalogo secondo il profilo DCAT-AP_IT (JSON-LD).",
}
for _t in TIPI.values():
    DESCRIZIONI[f"{_t.cartella}.csv"] = f"{_t.etichetta_plurale}: una riga per scheda."

CONTESTO_JSONLD = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "dcatapit": "http://dati.gov.it/onto/dcatapit#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def file_dati(ctx: Contesto) -> list[tuple[str, int]]:
    """(path, byte size) of every file generated under dati/ so far, sorted."""
    out = []
    for path, p in sorted(ctx.generate.items()):
        if path.startswith("dati/") and not path.endswith(".md"):
            dati = p.contenuto if isinstance(p.contenuto, bytes) else p.contenuto.encode("utf-8")
            out.append((path, len(dati)))
    return out


def formato(path: str) -> tuple[str, str, str]:
    return FORMATI.get(PurePosixPath(path).suffix, ("application/octet-stream", "BIN", "file"))


def catalogo(ctx: Contesto, files: list[tuple[str, int]]) -> dict:
    ambito = ctx.territorio.ambito
    base = base_assoluta(ctx.config)
    modificato = {"@value": aggiornato_al(ctx).isoformat(), "@type": "xsd:date"}
    opz = ctx.config.get("atlante") or {}
    editore = {
        "@id": base + "#editore",
        "@type": ["dcatapit:Agent", "foaf:Agent"],
        "foaf:name": f"Ufficio di Piano – {ambito.get('nome', '')}",
    }
    if opz.get("codice_ipa"):  # DCAT-AP_IT identifies public bodies by their IPA code
        editore["dct:identifier"] = str(opz["codice_ipa"])
    contatto = {
        "@id": base + "#contatto",
        "@type": ["dcatapit:Organization", "vcard:Organization"],
        "vcard:fn": editore["foaf:name"],
        "vcard:hasURL": {"@id": base},
    }
    if opz.get("email_dati"):
        contatto["vcard:hasEmail"] = {"@id": "mailto:" + str(opz["email_dati"])}
    licenza = {
        "@id": LICENZA,
        "@type": "dcatapit:LicenseDocument",
        "foaf:name": "CC BY 4.0",
        "dct:type": {"@id": "http://purl.org/adms/licencetype/Attribution"},
    }
    distribuzioni = []
    for path, size in files:
        if path == CATALOGO:
            continue
        media, codice, _ = formato(path)
        nome = PurePosixPath(path).name
        distribuzioni.append(
            {
                "@id": base + path,
                "@type": ["dcat:Distribution", "dcatapit:Distribution"],
                "dct:title": nome,
                "dct:description": DESCRIZIONI.get(nome, nome),
                "dcat:accessURL": {"@id": base + path},
                "dcat:downloadURL": {"@id": base + path},
                "dcat:mediaType": media,
                "dct:format": {"@id": EU_FILETYPE + codice},
                "dcat:byteSize": {"@value": str(size), "@type": "xsd:nonNegativeInteger"},
                "dct:license": licenza,
                "dct:modified": modificato,
            }
        )
    nome_ambito = ambito.get("nome_breve", ambito.get("nome", ""))
    dataset = {
        "@id": base + "dati/#enti",
        "@type": ["dcat:Dataset", "dcatapit:Dataset"],
        "dct:identifier": f"atlante-{ambito.get('id', 'ambito')}-enti",
        "dct:title": f"Enti e servizi della rete sociale – {nome_ambito}",
        "dct:description": (
            "Enti del Terzo Settore, biblioteche, Unità di Offerta, servizi e Patti di Comunità "
            f"raccolti dall'Atlante di Comunità dell'{nome_ambito}, ciascuno con la sua fonte."
        ),
        "dct:publisher": editore,
        "dct:rightsHolder": editore,
        "dct:modified": modificato,
        "dcat:contactPoint": contatto,
        "dct:language": {"@id": "http://publications.europa.eu/resource/authority/language/ITA"},
        "dcat:theme": {"@id": "http://publications.europa.eu/resource/authority/data-theme/SOCI"},
        "dct:accrualPeriodicity": {"@id": "http://publications.europa.eu/resource/authority/frequency/IRREG"},
        "dcat:landingPage": {"@id": base + "dati-aperti/"},
        "dcat:distribution": distribuzioni,
    }
    return {
        "@context": CONTESTO_JSONLD,
        "@id": base + CATALOGO,
        "@type": ["dcat:Catalog", "dcatapit:Catalog"],
        "dct:title": f"Dati aperti dell'Atlante di Comunità – {nome_ambito}",
        "dct:description": "Catalogo dei dati aperti pubblicati dall'Atlante di Comunità.",
        "dct:publisher": editore,
        "dct:modified": modificato,
        "dct:language": {"@id": "http://publications.europa.eu/resource/authority/language/ITA"},
        "dct:license": licenza,
        "foaf:homepage": {"@id": base},
        "dcat:dataset": [dataset],
    }


def fonti_e_schede(ctx: Contesto) -> list[dict]:
    """The known sources (data/fonti.yml), each with how many published records name it."""
    conta: dict[str, int] = {}
    for r in pubblicati(ctx):
        for f in fonti_citate(ctx.progetto, r.get("fonte")):
            conta[f["id"]] = conta.get(f["id"], 0) + 1
    return [{**f, "schede": conta.get(f["id"], 0)} for f in ctx.progetto.fonti]


def catalogo_e_pagina(ctx: Contesto):
    files = file_dati(ctx)
    testo = json.dumps(catalogo(ctx, files), ensure_ascii=False, indent=1) + "\n"
    dati = testo.encode("utf-8")
    yield Pagina(CATALOGO, dati)
    files = sorted(files + [(CATALOGO, len(dati))])
    righe = [
        {
            "path": p,
            "nome": PurePosixPath(p).name,
            "size": s,
            "formato": formato(p)[2],
            "media": formato(p)[0],
            "descrizione": DESCRIZIONI.get(PurePosixPath(p).name, ""),
        }
        for p, s in files
    ]
    guide = [
        {"tipo": t, "file": f"{t.cartella}.csv", "colonne": colonne(ctx, t)}
        for t in TIPI.values()
        if any(p == f"dati/{t.cartella}.csv" for p, _ in files)
    ]
    yield Pagina(
        "dati-aperti.md",
        rendi(
            "dati-aperti.md.j2",
            file=righe,
            guide=guide,
            aggiornato=aggiornato_al(ctx),
            separatore=SEPARATORE_LISTE,
            delimitatore=DELIMITATORE,
            ha_geojson=any(p == "dati/enti.geojson" for p, _ in files),
            fonti=fonti_e_schede(ctx),
        ),
    )
