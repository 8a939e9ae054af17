"""Record pages: enti/<cartella>/<id>.md, every field shown for people, plus schema.org JSON-LD."""

from __future__ import annotations

from functools import cached_property

from atlante.base.formato import euro, tel_href
from atlante.base.orari import orari_in_italiano, orari_schema_org
from atlante.lettura.records import Record
from atlante.mappe.svg import mappa_svg
from atlante.modello.campi import etichette, titoli
from atlante.modello.fonti import fonti_citate
from atlante.modello.percorsi import link, pagina_comune, pagina_scheda, pagina_sub_ambito, pagina_tema, url_assoluto
from atlante.modello.schede import lista
from atlante.modello.sito import Contesto, Pagina
from atlante.pagine.impaginazione import come_data, data_it, json_ld, rendi
from atlante.pagine.ricerca import dati_ricerca, pagina_cercabile
from atlante.pagine.segnalazioni import mailto_segnalazione, url_segnala_errore

GIORNI_FRESCHEZZA = 365  # "Ultima verifica" older than 12 months gets a visible notice
# The two networks of Unità di Offerta in Lombardy, as people read them.
ETICHETTE_RETE = {"sociale": "Rete sociale", "sociosanitaria": "Rete sociosanitaria"}


class Indice:
    """Lookups every page family needs, computed once per build."""

    def __init__(self, ctx: Contesto):
        self.ctx = ctx

    @cached_property
    def temi(self) -> dict:
        return self.ctx.progetto.tassonomia("temi")

    @cached_property
    def per_comune(self) -> dict[str, list[Record]]:
        out: dict[str, list[Record]] = {}
        for r in self.ctx.records:
            for c in self.ctx.scheda(r).comuni:
                out.setdefault(c.istat, []).append(r)
        return out

    @cached_property
    def per_tema(self) -> dict[str, list[Record]]:
        out: dict[str, list[Record]] = {}
        for r in self.ctx.records:
            for t in lista(r.get("temi")):
                out.setdefault(t, []).append(r)
        return out

    @cached_property
    def collegati(self) -> dict[str, list[tuple[str, Record]]]:
        """Reverse links: id -> [(relation, record)], e.g. the UdO an ente manages."""
        out: dict[str, list[tuple[str, Record]]] = {}
        for r in self.ctx.records:
            if r.tipo.id in ("udo", "servizio") and isinstance(r.get("ente_gestore"), str):
                out.setdefault(r.get("ente_gestore"), []).append(("gestisce", r))
            if r.tipo.id == "patto":
                if isinstance(r.get("capofila"), str):
                    out.setdefault(r.get("capofila"), []).append(("capofila", r))
                for a in lista(r.get("aderenti")):
                    if isinstance(a, str):
                        out.setdefault(a, []).append(("aderente", r))
        return out


def indice(ctx: Contesto) -> Indice:
    return ctx.memo("indice", lambda: Indice(ctx))


def riferimento(ctx: Contesto, da: str, valore) -> dict | None:
    """A reference field (id of a record, or a plain name) as {nome, href}."""
    if not isinstance(valore, str):
        return None
    rec = ctx.per_id.get(valore)
    if rec is not None:
        return {"nome": rec.nome, "href": link(da, pagina_scheda(rec.tipo, rec.id))}
    return {"nome": valore, "href": None}


def _nome_in(tassonomia: dict, chiave) -> str | None:
    voce = tassonomia.get(chiave) if isinstance(chiave, str) else None
    return voce["nome"] if voce else chiave


def vista(ctx: Contesto, rec: Record) -> dict:
    """Everything the record template shows, already resolved (names, links, words)."""
    s = ctx.scheda(rec)
    da = s.pagina
    p = ctx.progetto
    d = rec.data
    comuni = s.comuni
    comune = s.comune
    sub = ctx.territorio.sub_ambiti.get(comune.sub_ambito) if comune and comune.sub_ambito else None
    contatti = d.get("contatti") if isinstance(d.get("contatti"), dict) else {}
    pos = d.get("posizione") if isinstance(d.get("posizione"), dict) else None
    verificato = come_data(d.get("verificato_il"))
    vecchia = verificato is not None and (ctx.oggi - verificato).days > GIORNI_FRESCHEZZA
    cfg = ctx.config
    repo = (cfg.get("repo_url") or "").rstrip("/")
    sorgente = s.sorgente
    pagina_url = url_assoluto(cfg, da)
    segnala = url_segnala_errore(cfg, rec.id, rec.nome, pagina_url)
    temi = indice(ctx).temi
    telefoni = [{"testo": t, "href": tel_href(t)} for t in lista(contatti.get("telefono")) if isinstance(t, str)]
    ha_contatti = bool(telefoni or any(contatti.get(k) for k in ("email", "pec", "sito_web", "social")))
    istat = comune.istat if comune else (comuni[0].istat if comuni else "")
    mappa_rete = link(da, "mappa.md") + (f"?comune={istat}" if istat and rec.tipo.id != "patto" else "")
    posizione = (pos.get("lon"), pos.get("lat")) if pos else None
    if posizione and not all(isinstance(x, (int, float)) for x in posizione):
        posizione = None
    v = {
        "rec": rec,
        "d": d,
        "tipo": rec.tipo,
        "da": da,
        "descrizione": d.get("descrizione"),
        "comune": comune and {"nome": comune.nome, "href": link(da, pagina_comune(comune)), "istat": comune.istat},
        "sub_ambito": sub and {"nome": sub.nome, "href": link(da, pagina_sub_ambito(sub.id))},
        "comuni": [{"nome": c.nome, "href": link(da, pagina_comune(c))} for c in comuni],
        "posizione_esatta": pos is not None,
        "telefoni": telefoni,
        "contatti": contatti,
        "ha_contatti": ha_contatti,
        "orari": orari_in_italiano(d.get("orari")),
        "temi": [
            {"nome": _nome_in(temi, t), "href": link(da, pagina_tema(t)) if t in temi else None}
            for t in lista(d.get("temi"))
        ],
        "verificato": data_it(verificato),
        "verifica_vecchia": vecchia,
        "modifica": f"{repo}/edit/main/{sorgente}" if repo else None,
        "segnala": segnala,
        "segnala_email": mailto_segnalazione(cfg, rec.nome, pagina_url),
        "collegati": [
            {"relazione": rel, "nome": r.nome, "tipo": r.tipo.etichetta, "href": link(da, pagina_scheda(r.tipo, r.id))}
            for rel, r in indice(ctx).collegati.get(rec.id, [])
        ],
        "json_ld": json_ld(schema_org(ctx, rec, comune, pagina_url)),
        "istat": istat,
        # the small map, drawn at build time: the comune (or the pact's comuni) and the exact point
        "mappa": mappa_svg(ctx, [c.istat for c in comuni], posizione),
        "mappa_rete": mappa_rete,
        # Italian names of every enum value of this kind, from the schema (x-etichette)
        "et": etichette(p, rec.tipo),
        "titoli": titoli(p, rec.tipo),
        "fonti": fonti_citate(p, d.get("fonte")),
    }
    t = rec.tipo.id
    if t == "ets":
        runts = d.get("runts") if isinstance(d.get("runts"), dict) else {}
        v["forma_giuridica"] = _nome_in(p.tassonomia("forme_giuridiche"), d.get("forma_giuridica"))
        v["runts"] = runts and {
            "iscritto": runts.get("iscritto") is True,
            "sezione": _nome_in(p.tassonomia("runts_sezioni"), runts.get("sezione")),
            "numero": runts.get("numero_repertorio"),
        }
    elif t == "biblioteca":
        v["servizi"] = [_nome_in(p.tassonomia("servizi_biblioteca"), s) for s in lista(d.get("servizi"))]
    elif t == "udo":
        tip = p.tassonomia("udo_tipologie").get(d.get("tipologia")) or {}
        v["tipologia"] = tip
        rete = ETICHETTE_RETE.get(tip.get("rete"), tip.get("rete"))
        v["rete_area"] = ", ".join(x for x in (rete, tip.get("area") and f"area {tip['area']}") if x)
        v["ente_gestore"] = riferimento(ctx, da, d.get("ente_gestore"))
    elif t == "servizio":
        v["tipologia"] = p.tassonomia("servizi_tipologie").get(d.get("tipologia")) or {}
        v["ente_gestore"] = riferimento(ctx, da, d.get("ente_gestore"))
    elif t == "patto":
        v["capofila"] = riferimento(ctx, da, d.get("capofila"))
        v["aderenti"] = [x for x in (riferimento(ctx, da, a) for a in lista(d.get("aderenti"))) if x]
        fin = d.get("finanziamento") if isinstance(d.get("finanziamento"), dict) else {}
        imp = fin.get("importo")
        v["importo"] = euro(imp)
        v["periodo"] = d.get("periodo") if isinstance(d.get("periodo"), dict) else {}
    return v


# schema.org types that are places (LocalBusiness): geo and openingHours go on them directly;
# for the other kinds they go on a `location` (a CivicStructure: a Place with opening hours).
_TIPI_LUOGO = {"Library", "ChildCare", "CivicStructure"}
_NIDI = {"asilo_nido", "micronido", "nido_famiglia", "centro_prima_infanzia"}


def schema_org(ctx: Contesto, rec: Record, comune, url: str) -> dict:
    d = rec.data
    if rec.tipo.id == "biblioteca":
        tipo = "Library"
    elif rec.tipo.id == "udo":
        tip = ctx.progetto.tassonomia("udo_tipologie").get(d.get("tipologia")) or {}
        tipo = (
            "ChildCare"
            if d.get("tipologia") in _NIDI
            else ("MedicalOrganization" if tip.get("rete") == "sociosanitaria" else "Organization")
        )
    elif rec.tipo.id == "patto":
        tipo = "Project"
    elif rec.tipo.id == "servizio":
        tipo = "CivicStructure"
    else:
        tipo = "NGO" if d.get("forma_giuridica") != "ente_pubblico" else "GovernmentOrganization"
    out: dict = {"@context": "https://schema.org", "@type": tipo, "name": rec.nome, "url": url}
    if isinstance(d.get("descrizione"), str):
        out["description"] = " ".join(d["descrizione"].split())
    contatti = d.get("contatti") if isinstance(d.get("contatti"), dict) else {}
    tel = [t for t in lista(contatti.get("telefono")) if isinstance(t, str)]
    if tel:
        out["telephone"] = tel[0] if len(tel) == 1 else tel
    if isinstance(contatti.get("email"), str):
        out["email"] = contatti["email"]
    if isinstance(contatti.get("sito_web"), str) or contatti.get("social"):
        out["sameAs"] = [u for u in [contatti.get("sito_web"), *lista(contatti.get("social"))] if isinstance(u, str)]
    luogo: dict = {}
    if comune is not None:
        indirizzo = {"@type": "PostalAddress", "addressLocality": comune.nome, "addressCountry": "IT"}
        if isinstance(d.get("indirizzo"), str):
            indirizzo["streetAddress"] = d["indirizzo"]
        if d.get("cap"):
            indirizzo["postalCode"] = str(d["cap"])
        luogo["address"] = indirizzo
    pos = d.get("posizione") if isinstance(d.get("posizione"), dict) else None
    if pos and isinstance(pos.get("lat"), (int, float)) and isinstance(pos.get("lon"), (int, float)):
        luogo["geo"] = {"@type": "GeoCoordinates", "latitude": pos["lat"], "longitude": pos["lon"]}
    orari = orari_schema_org(d.get("orari"))
    if orari:
        luogo["openingHours"] = orari
    if rec.tipo.id == "patto":
        out["areaServed"] = [{"@type": "City", "name": c.nome} for c in ctx.scheda(rec).comuni]
    elif tipo in _TIPI_LUOGO:
        out.update(luogo)
    elif luogo:
        if "address" in luogo:
            out["address"] = luogo["address"]
        out["location"] = {"@type": "CivicStructure", **luogo}
    return out


def schede(ctx: Contesto):
    for rec in ctx.records:
        yield pagina_della_scheda(ctx, rec)


def pagina_della_scheda(ctx: Contesto, rec: Record) -> Pagina:
    v = vista(ctx, rec)
    corpo = rendi("scheda.html", **v, ricerca=dati_ricerca(ctx, rec, v))
    return pagina_cercabile(
        pagina_scheda(rec.tipo, rec.id),
        rec.nome,
        corpo,
        rec.get("descrizione"),
        sorgente=ctx.scheda(rec).sorgente,
    )
