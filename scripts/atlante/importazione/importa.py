"""`atlante import`: bring an existing mapping (CSV/XLSX) into data/enti/ without losing or duplicating.

Each row is matched against the records already there (same codice fiscale, else the same
normalised name in the same comune); near matches go to a person. Every file the import would
write is first validated in memory, with all the other records: the data folder changes only
when all of them are valid (all or nothing).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from atlante.base.foglio import testo_csv
from atlante.base.formato import come_data
from atlante.base.parallelo import mappa
from atlante.base.problems import visibile
from atlante.importazione import nomi as N
from atlante.importazione import pulizia as P
from atlante.importazione.colonne import (
    VIRTUALI,
    Colonne,
    Fonte,
    MappaturaNonValida,
    chiave,
    conta_note,
    leggi_mappatura,
    risolvi,
)
from atlante.importazione.letture import leggi_tabella
from atlante.importazione.righe import OPZIONALI, Convertitore, schema_campi
from atlante.lettura.progetto import TIPI, TIPO_PER_CARTELLA, Progetto
from atlante.lettura.records import SCHEMA_LINE, Record, load_records
from atlante.lettura.territorio import normalizza
from atlante.lettura.yamlfile import YamlDoc, _come_letto, doc_scritto, read_yaml

SOGLIA_SIMILE = 88  # rapidfuzz token_sort_ratio: "Ass. Prova Uno" ~ "Associazione Prova Uno"
_MIN_PARALLELO = 1500  # would-be files from which their checks are spread over the cores
SINGOLARE = {
    "creato": "creato",
    "aggiornato": "aggiornato",
    "invariato": "invariato",
    "da_verificare": "da verificare",
    "scartato": "scartato",
    "fuori_ambito": "fuori ambito",
    "escluso": "escluso dal filtro",
}
CATEGORIE = {
    "creato": "creati",
    "aggiornato": "aggiornati",
    "invariato": "invariati",
    "da_verificare": "da verificare",
    "scartato": "scartati",
    "fuori_ambito": "fuori ambito",
    "escluso": "esclusi dal filtro",
}
# Rows summarised by group on the terminal (a national file has tens of thousands); all in --report.
_RAGGRUPPATE = ("fuori_ambito", "escluso")
# Identifiers that say which entity a record is, stronger than its name.
CODICI = ("codice_fiscale", "isil")


@dataclass
class Esito:
    categoria: str
    riga: int
    nome: str
    file: str
    dettaglio: str = ""
    note: list[str] = field(default_factory=list)  # values left out: "da verificare", with the source's value
    dedotti: list[str] = field(default_factory=list)  # values repaired, rewritten or inferred


@dataclass
class Risultato:
    sorgente: Path
    colonne: Colonne
    descrizione_file: str
    esiti: list[Esito] = field(default_factory=list)
    scritti: list[Path] = field(default_factory=list)
    problemi: list[str] = field(default_factory=list)  # "FILE:riga N: campo: messaggio"
    bloccato: bool = False
    predefiniti: dict = field(default_factory=dict)
    filtri: list[str] = field(default_factory=list)
    fonte: str = ""
    parziale: bool = False
    file_scartate: Path | None = None

    def conta(self, categoria: str) -> int:
        return sum(e.categoria == categoria for e in self.esiti)


def nome_chiave(nome: str, comune: str | None = None) -> str:
    return N.nome_chiave(nome, comune)


def chiave_indirizzo(v) -> str:
    """An address as compared: "VIA KENNEDY, 2" = "Via Kennedy 2"."""
    s = re.sub(r"[^a-z0-9 ]", " ", normalizza(str(v or "")))
    return " ".join(w for w in s.split() if w not in ("via", "v", "piazza", "p", "za", "viale", "largo", "n"))


def _tipo(nome: str):
    return TIPO_PER_CARTELLA.get(nome) or TIPI.get(nome)


def _istat(terr, dati: dict) -> str | None:
    c = dati.get("comune") or (dati.get("comuni") or [None])[0]
    found = terr.trova(c) if isinstance(c, str) else None
    return found.istat if found else None


def _leaf_items(d: dict, prefix=()):
    for k, v in d.items():
        if isinstance(v, dict):
            yield from _leaf_items(v, prefix + (k,))
        else:
            yield prefix + (k,), v


def _get(d, kp):
    for k in kp:
        if not isinstance(d, dict) or k not in d:
            return None
        d = d[k]
    return d


def _uguale(terr, kp: tuple, old, new, comune: str | None = None) -> bool:
    if old is None:
        return False
    if kp == ("contatti", "telefono"):
        as_list = lambda v: v if isinstance(v, list) else [v]  # noqa: E731
        return {P.chiave_telefono(str(x)) for x in as_list(old)} == {P.chiave_telefono(str(x)) for x in as_list(new)}
    if kp == ("nome",):  # matched on this form: "X ODV" and "X" are the same name
        return nome_chiave(str(old), comune) == nome_chiave(str(new), comune)
    if kp == ("comune",):
        a, b = terr.trova(str(old)), terr.trova(str(new))
        return a is not None and a == b
    if isinstance(new, list):
        return isinstance(old, list) and [P.testo(x) for x in old] == [P.testo(x) for x in new]
    if isinstance(new, (bool, int, float)) and not isinstance(new, str):
        return old == new and type(old) is type(new) or (not isinstance(old, bool) and old == new)
    a, b = P.testo(old), P.testo(new)
    if kp[-1] in ("email", "pec", "codice_fiscale", "isil"):
        a, b = a.lower(), b.lower()
    if kp[-1] in ("sito_web",):
        a, b = a.rstrip("/"), b.rstrip("/")
    return a == b


def _yaml_aggiornato(testo: str, modifiche: list[tuple[tuple, object]], ordine: list[str]) -> str:
    """Change only the given key paths, keeping comments, order and the style of the rest."""
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap

    ry = YAML()  # round-trip
    ry.preserve_quotes = True
    ry.width = 4096
    ry.indent(mapping=2, sequence=4, offset=2)
    doc = ry.load(testo)
    pos = {k: i for i, k in enumerate(ordine)}

    def metti(node, key, val):
        if key in node or node is not doc or key not in pos:
            node[key] = val
            return
        # a new field goes where the schema puts it, not at the end of the file
        keys = list(node)
        at = next((i for i, k in enumerate(keys) if pos.get(k, len(pos)) > pos[key]), len(keys))
        node.insert(at, key, val)

    for kp, val in modifiche:
        node = doc
        for k in kp[:-1]:
            if not isinstance(node.get(k), dict):
                metti(node, k, CommentedMap())
            node = node[k]
        metti(node, kp[-1], val)
    out = io.StringIO()
    ry.dump(doc, out)
    return out.getvalue()


def tipo_della_mappatura(mappatura: Path | None) -> str | None:
    return leggi_mappatura(mappatura).tipo if mappatura else None


def _filtri(tab, richiesti: list[tuple[str, str, list[str]]]) -> list[tuple[int, str, set[str]]]:
    chiavi = [chiave(h) for h in tab.intestazioni]
    out = []
    for scritto, k, valori in richiesti:
        if k not in chiavi:
            raise MappaturaNonValida(
                f"filtro su '{scritto}': nessuna colonna con questa intestazione "
                f"(colonne: {', '.join(h for h in tab.intestazioni if h)})"
            )
        out.append((chiavi.index(k), scritto, {P.testo(v).casefold() for v in valori}))
    return out


def _cella_testo(v) -> str:
    """P.testo, with a fast path for the plain strings of a CSV (tens of thousands of rows)."""
    if isinstance(v, str) and "  " not in v and "\n" not in v and "\t" not in v and "\u00a0" not in v:
        return v.strip()
    return P.testo(v)


class _FuoriAmbito:
    """Why a row is outside the Ambito ("codice ISTAT 015146, Milano"), or None. The ISTAT code
    decides when the file has one; else a name that is no comune of the Ambito and not a
    misspelling of one (a misspelling is an error the row must fix)."""

    def __init__(self, terr, colonne: Colonne):
        self.terr = terr
        self.i_nome = next((i for i, _h, f in colonne.usate if f == "comune"), None)
        self.i_code = next((i for i, _h, f in colonne.usate if f == "comune_istat"), None)
        self.cache: dict[str, str | None] = {}

    def __call__(self, valori: list) -> str | None:
        nome = _cella_testo(valori[self.i_nome]) if self.i_nome is not None else ""
        code = _cella_testo(valori[self.i_code]) if self.i_code is not None else ""
        if code:
            code = code.zfill(6) if code.isdigit() else code
            return None if code in self.terr.comuni else f"codice ISTAT {code}" + (f", {nome}" if nome else "")
        if not nome:
            return None
        if nome not in self.cache:
            self.cache[nome] = None if self.terr.trova(nome) or self.terr.suggerisci(nome) else nome
        return self.cache[nome]


def _id_base(nome: str, dati: dict, ripetuti: set, ids_presi: set) -> str:
    """A new record's file name from its name; with its comune when the name is generic or
    shared ("biblioteca-comunale-bagnolo-cremasco")."""
    comune = dati.get("comune") or ""
    base = P.slug(nome)
    c = P.slug(comune) if comune else ""
    if c and not base.endswith(c) and (N.generico(nome, comune) or base in ripetuti or base in ids_presi):
        base = f"{base}-{c}"
    return base


def _id_nuovo(base: str, dati: dict, doppio: bool, ids_presi: set, codici: list) -> str:
    """When the name and comune do not tell two records apart: the street (one body's two
    structures in one comune), else the tax code or ISIL (two bodies of one name). Never a
    counter, except as a last resort."""
    if doppio or base in ids_presi:
        if dati.get("indirizzo"):
            base = f"{base}-{P.slug(str(dati['indirizzo']))}"
        elif codici:
            base = f"{base}-{P.slug(codici[0][1])}"
    new_id, n = base, 2
    while new_id in ids_presi:
        new_id, n = f"{base}-{n}", n + 1
    return new_id


def importa(
    progetto: Progetto,
    sorgente: Path,
    tipo_nome: str | None = None,
    mappatura: Path | None = None,
    prova: bool = False,
    aggiorna: bool = False,
    oggi: dt.date | None = None,
    filtri: list[tuple[str, str, list[str]]] = (),
    fonte: Fonte | None = None,
    parziale: bool = False,
    scartate: Path | None = None,
) -> Risultato:
    """Import one file; raises LetturaFallita / MappaturaNonValida for files that cannot be read."""
    from rapidfuzz import fuzz, process

    from atlante.modello.campi import schema_tipo

    tipo_nome = tipo_nome or tipo_della_mappatura(mappatura)
    tipo = _tipo(tipo_nome) if tipo_nome else None
    if tipo is None:
        raise MappaturaNonValida(
            f"tipo di schede {'sconosciuto ' + repr(tipo_nome) if tipo_nome else 'mancante'}: "
            "indicalo con --tipo oppure con 'tipo:' nella mappatura"
        )
    oggi = oggi or dt.date.today()
    campi = set(schema_campi(schema_tipo(progetto, tipo))) | set(VIRTUALI)
    mapp = leggi_mappatura(mappatura, campi) if mappatura else None
    fonte = fonte or (mapp.fonte if mapp else None)
    tab = leggi_tabella(sorgente, conta_note(tipo.id, mapp, campi))
    colonne = risolvi(tab.intestazioni, tipo.id, mapp, campi)
    sep = f", separatore {tab.separatore}" if tab.separatore else ""
    res = Risultato(sorgente, colonne, f"{sorgente.name} ({tab.codifica}{sep}), {len(tab.righe)} righe")
    res.parziale = parziale
    tutti_filtri = [*(mapp.filtri if mapp else []), *filtri]
    per_filtro = _filtri(tab, tutti_filtri)
    res.filtri = [f"{scritto} = {' o '.join(v)}" for scritto, _k, v in tutti_filtri]
    if not any(f == "nome" for _i, _h, f in colonne.usate):
        res.bloccato = True
        res.problemi.append(
            f"{sorgente.name}: nessuna colonna per il nome dell'ente (es. 'Denominazione'); indicala con --mappatura"
        )
        return res
    testo_fonte = fonte.testo() if fonte else sorgente.name
    res.fonte = testo_fonte
    conv = Convertitore(progetto, tipo, colonne, mapp, testo_fonte, (fonte.data if fonte and fonte.data else oggi))
    res.predefiniti = {k: v for k, v in conv.predefiniti.items() if not (mapp and k in mapp.valori)}
    terr = progetto.territorio
    cartella = progetto.enti_dir / tipo.cartella
    esistenti = load_records(progetto)
    ids_presi = {r.id for r in esistenti}
    per_codice: dict[tuple, Record] = {}
    per_nome: dict[tuple, list[Record]] = {}
    per_comune: dict = {}
    for r in esistenti:
        if r.tipo is not tipo:
            continue
        for campo in CODICI:
            v = r.data.get(campo)
            if isinstance(v, str) and v.strip():
                per_codice.setdefault((campo, re.sub(r"\s", "", v).upper()), r)
        if isinstance(r.data.get("nome"), str):
            ist = _istat(terr, r.data)
            comune = terr.comuni[ist].nome if ist else None
            k = nome_chiave(r.data["nome"], comune)
            per_nome.setdefault((k, ist), []).append(r)
            per_comune.setdefault(ist, {})[k] = r

    # Rows outside the filter or the Ambito first: cheap, and most of a national file.
    righe = []
    fuori_ambito = _FuoriAmbito(terr, colonne)
    i_nome = next((i for i, _h, f in colonne.usate if f == "nome"), None)
    for riga in tab.righe:
        fuori = None
        for i, scritto, ammessi in per_filtro:
            v = _cella_testo(riga.valori[i])
            if v.casefold() not in ammessi:
                fuori = f"{scritto} = '{v}'"
                break
        if fuori:
            res.esiti.append(Esito("escluso", riga.numero, _cella_testo(riga.valori[i_nome]), "", fuori))
            continue
        fuori = fuori_ambito(riga.valori)
        if fuori:
            res.esiti.append(Esito("fuori_ambito", riga.numero, _cella_testo(riga.valori[i_nome]), "", fuori))
            continue
        r = conv.converti(riga.valori)
        _lascia_fuori_opzionali(progetto, tipo, cartella, r)
        righe.append((riga, r))

    # How often each name appears: a generic or shared name gets its comune in the file name,
    # one body's structures in one comune their street.
    basi: dict[str, int] = {}
    for _riga, r in righe:
        nome = r.dati.get("nome")
        if isinstance(nome, str) and nome:
            basi[P.slug(nome)] = basi.get(P.slug(nome), 0) + 1
    ripetuti = {b for b, n in basi.items() if n > 1}
    ids_base: dict[int, str] = {}
    conta_id: dict[str, int] = {}
    indirizzi: dict[tuple, set] = {}  # one body's structures in one comune: their addresses
    for riga, r in righe:
        nome = r.dati.get("nome")
        if isinstance(nome, str) and nome:
            ids_base[riga.numero] = b = _id_base(nome, r.dati, ripetuti, ids_presi)
            conta_id[b] = conta_id.get(b, 0) + 1
            key = (nome_chiave(nome, r.dati.get("comune")), r.dati.get("comune"))
            indirizzi.setdefault(key, set()).add(chiave_indirizzo(r.dati.get("indirizzo")))

    visti: dict[tuple, int] = {}
    staged: dict[Path, tuple[dict | None, list | None, Esito]] = {}
    righe_per_esito: dict[int, object] = {}
    for riga, r in righe:
        dati = r.dati
        nome = dati.get("nome") or ""
        errori = list(r.errori)
        if not nome:
            errori.insert(0, "nome: manca il nome dell'ente")
        righe_per_esito[riga.numero] = riga
        if errori:
            res.esiti.append(Esito("scartato", riga.numero, P.testo(nome), "", "; ".join(errori), r.note, r.dedotti))
            continue
        ist = _istat(terr, dati)
        comune = dati.get("comune")
        k = nome_chiave(nome, comune)
        ind = chiave_indirizzo(dati.get("indirizzo"))
        codici = [(c, re.sub(r"\s", "", str(dati[c])).upper()) for c in CODICI if dati.get(c)]
        # the same body twice in the source: keep the first, a person decides about the other
        prima = next((visti[c] for c in codici if c in visti), None)
        if prima is None and (k, ist, ind) in visti:
            prima, codici_prima = visti[(k, ist, ind)]
            if codici and codici_prima and not set(codici) & set(codici_prima):
                prima = None  # one name, two tax codes: two bodies (two parishes of a merged comune)
        if prima:
            res.esiti.append(
                Esito("da_verificare", riga.numero, nome, "", f"stesso ente della riga {prima}: non unito", r.note)
            )
            continue
        for c in codici:
            visti[c] = riga.numero
        visti.setdefault((k, ist, ind), (riga.numero, codici))
        rec = next((per_codice[c] for c in codici if c in per_codice), None)
        if rec is None:
            candidati = per_nome.get((k, ist), [])
            # two structures of one body in one comune: the address tells them apart
            stessi = [
                x
                for x in candidati
                if not ind or not x.data.get("indirizzo") or chiave_indirizzo(x.data["indirizzo"]) == ind
            ]
            rec = stessi[0] if len(stessi) == 1 else None
            if len(stessi) > 1:
                res.esiti.append(
                    Esito(
                        "da_verificare",
                        riga.numero,
                        nome,
                        "",
                        "stesso nome e comune di " + ", ".join(x.display for x in stessi) + ": indica l'indirizzo",
                    )
                )
                continue
            diverso = next(
                (
                    (c, rec.data.get(c))
                    for c, v in codici
                    if rec is not None
                    and isinstance(rec.data.get(c), str)
                    and re.sub(r"\s", "", rec.data[c]).upper() != v
                ),
                None,
            )
            if diverso:
                res.esiti.append(
                    Esito(
                        "da_verificare",
                        riga.numero,
                        nome,
                        rec.display,
                        f"stesso nome e comune di {rec.display} ma "
                        f"{diverso[0].replace('_', ' ')} diverso ({diverso[1]})",
                    )
                )
                continue
            if rec is None and candidati and not stessi:
                pass  # same name, another address: another structure of the same body
            elif rec is None:
                simili = per_comune.get(ist, {})
                near = (
                    process.extractOne(k, list(simili), scorer=fuzz.token_sort_ratio, score_cutoff=SOGLIA_SIMILE)
                    if simili
                    else None
                )
                if near:
                    r2 = simili[near[0]]
                    if not any(
                        isinstance(r2.data.get(c), str) and re.sub(r"\s", "", r2.data[c]).upper() != v
                        for c, v in codici
                    ):
                        res.esiti.append(
                            Esito(
                                "da_verificare",
                                riga.numero,
                                nome,
                                r2.display,
                                f"nome simile a '{r2.nome}' ({r2.display}) nello stesso comune: "
                                "se è lo stesso ente correggi il nome nel file; se sono enti diversi "
                                "indica il codice fiscale di entrambi",
                                r.note,
                            )
                        )
                        continue
        if rec is None:
            base = ids_base[riga.numero]
            doppio = conta_id[base] > 1 or len(indirizzi.get((k, comune), ())) > 1
            new_id = _id_nuovo(base, dati, doppio, ids_presi, codici)
            ids_presi.add(new_id)
            path = cartella / f"{new_id}.yml"
            e = Esito("creato", riga.numero, nome, progetto.rel(path), "", r.note, r.dedotti)
            staged[path] = (dati, None, e)
            res.esiti.append(e)
            continue
        # An existing record: only the fields the source states and that really differ.
        # verificato_il and fonte are not data: they follow a change of data, never make one
        modifiche = [
            (kp, v)
            for kp, v in _leaf_items(dati)
            if kp[0] not in ("verificato_il", "fonte")
            and kp[0] in {f.split(".")[0] for f in r.dalla_riga}
            and not (kp[0] == "nome" and r.nome_troncato)  # a name cut short never replaces a whole one
            and not _uguale(terr, kp, _get(rec.data, kp), v, comune)
        ]
        if not modifiche:
            res.esiti.append(Esito("invariato", riga.numero, nome, rec.display, "", r.note))
            continue
        campi_cambiati = ", ".join(".".join(kp) for kp, _v in modifiche)
        if not aggiorna:
            res.esiti.append(
                Esito(
                    "da_verificare",
                    riga.numero,
                    nome,
                    rec.display,
                    f"esiste già e la fonte cambia {campi_cambiati}: rilancia con --aggiorna per aggiornarla",
                    r.note,
                )
            )
            continue
        vecchia = P.testo(rec.data.get("fonte"))
        if testo_fonte not in vecchia:
            modifiche.append((("fonte",), f"{vecchia}; {testo_fonte}" if vecchia else testo_fonte))
        # a record checked more recently than the source keeps its date
        prima_data = come_data(rec.data.get("verificato_il"))
        if prima_data is None or dati["verificato_il"] > prima_data:
            modifiche.append((("verificato_il",), dati["verificato_il"]))
        e = Esito("aggiornato", riga.numero, nome, rec.display, f"cambiati: {campi_cambiati}", r.note, r.dedotti)
        staged[rec.path] = (None, modifiche, e)
        res.esiti.append(e)

    if res.conta("scartato") and not parziale:
        res.bloccato = True
    if staged:
        _valida_e_scrivi(progetto, sorgente, staged, conv.ordine, esistenti, res, scrivi=not prova, parziale=parziale)
    res.esiti.sort(key=lambda e: e.riga)
    if parziale and res.conta("scartato"):
        res.file_scartate = scartate or sorgente.with_name(f"{sorgente.stem}-scartate.csv")
        if not prova:
            _scrivi_scartate(res, tab, righe_per_esito)
    return res


def _lascia_fuori_opzionali(progetto: Progetto, tipo, cartella: Path, r) -> None:
    """The row's data checked alone, as the validator would: a wrong optional value (a CAP of
    another comune, a position in the next comune) is left out before the row is matched, so
    a re-import compares what would really be written."""
    from atlante.validazione.controlli import check_record

    if not r.dati.get("nome") or r.errori:
        return
    # phones, e-mails, web addresses and opening hours were checked cell by cell; what needs the
    # territory (a CAP of the comune, a position inside it) is checked here, as the validator does
    if "cap" not in r.dati and "posizione" not in r.dati:
        return
    path = cartella / "riga.yml"
    for _giro in range(3):
        # the data as the validator reads a file (dates as text); no YAML text is needed here
        doc = YamlDoc(path=path, data=_come_letto(r.dati))
        problemi = [
            p
            for p in check_record(progetto, Record(id="riga", tipo=tipo, path=path, display="riga", doc=doc))
            if p.is_error and p.campo.split(".")[0] in OPZIONALI
        ]
        if not problemi:
            return
        for p in problemi:
            valore = _togli(r.dati, None, p.campo)
            r.note.append(f"{p.campo}: {p.messaggio}: lasciato fuori (nella fonte: '{valore}')")


def _cella(colonne: Colonne, valori: list, campo: str):
    return next((valori[i] for i, _h, f in colonne.usate if f == campo), None)


def _scrivi_scartate(res: Risultato, tab, righe: dict) -> None:
    """The refused rows with the source's own columns plus `problema`: fix them and import that file."""
    out = res.file_scartate
    tmp = out.with_name(f".{out.name}.tmp")
    scartate = (
        [*("" if v is None else v for v in righe[e.riga].valori), e.dettaglio]
        for e in sorted(res.esiti, key=lambda e: e.riga)
        if e.categoria == "scartato"
    )
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        fh.write(testo_csv([*tab.intestazioni, "problema"], scartate))
    os.replace(tmp, out)


def _prepara(progetto: Progetto, voce: tuple) -> tuple[str, YamlDoc, list]:
    """One would-be file: its text, its content as the validator reads it, and that file's own problems."""
    from atlante.validazione.controlli import check_record

    path, display, dati, modifiche, ordine = voce
    tipo = _tipo(path.parent.name)
    if modifiche is None:  # a new record: its data is known, the text is not read back
        doc = doc_scritto(path, display, dati, SCHEMA_LINE.format(schema=tipo.schema))
        text = doc.text
    else:
        text = _yaml_aggiornato(path.read_text(encoding="utf-8"), modifiche, ordine)
        doc = read_yaml(path, display, text)
    rec = Record(id=path.stem, tipo=tipo, path=path, display=display, doc=doc)
    problemi = check_record(progetto, rec)
    doc.text = ""  # not needed past this point; keeps inter-process traffic small
    return text, doc, problemi


def _togli(dati: dict | None, modifiche: list | None, campo: str):
    """Take an optional value out of a would-be record; returns the value as the source gave it."""
    kp = tuple(int(x) if x.isdigit() else x for x in campo.split("."))
    if modifiche is not None:
        tolti = [(k, v) for k, v in modifiche if k[: len(kp)] == kp or kp[: len(k)] == k]
        for x in tolti:
            modifiche.remove(x)
        return "; ".join(str(v) for _k, v in tolti)
    node = dati
    for k in kp[:-1]:
        node = (
            node.get(k) if isinstance(node, dict) else (node[k] if isinstance(node, list) and k < len(node) else None)
        )
    if isinstance(node, dict) and kp[-1] in node:
        valore = node.pop(kp[-1])
    elif isinstance(node, list) and isinstance(kp[-1], int) and kp[-1] < len(node):
        valore = node.pop(kp[-1])
    else:
        return ""
    # no empty groups left behind ("contatti: {}")
    for i in range(len(kp) - 1, 0, -1):
        parent = dati
        for k in kp[: i - 1]:
            parent = parent[k]
        if isinstance(parent.get(kp[i - 1]), (dict, list)) and not parent[kp[i - 1]]:
            del parent[kp[i - 1]]
    if isinstance(valore, dict):
        return ", ".join(f"{k} {v}" for k, v in valore.items())
    return str(valore)


def _valida_e_scrivi(
    progetto: Progetto,
    sorgente: Path,
    staged: dict,
    ordine: list,
    esistenti: list,
    res: Risultato,
    scrivi: bool,
    parziale: bool = False,
) -> None:
    """Validate the would-be files as records in memory (each file's own checks, spread over the
    cores, then references and duplicates together with every other record); write them only
    when all are valid. A wrong optional value (CAP, position, contacts, opening hours) is left
    out of its record and listed "da verificare" with the source's value, and the record checked
    again. Nothing touches the disk before that, so a refused import leaves data/ byte for byte
    as it was."""
    from atlante.validazione.controlli import check_references

    per_file: dict[str, Esito] = {e.file: e for _d, _m, e in staged.values()}
    for _giro in range(3):
        voci = [(path, e.file, dati, modifiche, ordine) for path, (dati, modifiche, e) in staged.items()]
        preparati = mappa(_prepara, progetto, voci, _MIN_PARALLELO)
        ancora = False
        for (dati, modifiche, e), (_t, _doc, file_problems) in zip(staged.values(), preparati):
            for p in file_problems:
                if p.is_error and p.campo.split(".")[0] in OPZIONALI:
                    valore = _togli(dati, modifiche, p.campo)
                    e.note.append(f"{p.campo}: {p.messaggio}: lasciato fuori (nella fonte: '{valore}')")
                    ancora = True
        if not ancora:
            break
    nuovi = {
        e.file: Record(id=path.stem, tipo=_tipo(path.parent.name), path=path, display=e.file, doc=doc)
        for (path, (_d, _m, e)), (_t, doc, _p) in zip(staged.items(), preparati)
    }
    problemi = [p for _t, _r, file_problems in preparati for p in file_problems]
    tutti = [r for r in esistenti if r.display not in nuovi] + list(nuovi.values())
    problemi.extend(check_references(tutti))
    for p in problemi:
        e = per_file.get(p.path)
        if e is None or not p.is_error:
            continue
        tail = f" ({p.suggerimento})" if p.suggerimento else ""
        res.problemi.append(f"{sorgente.name}:riga {e.riga}: {p.campo}: {p.messaggio}{tail}")
        e.categoria = "scartato"
        e.dettaglio = "; ".join(x for x in (e.dettaglio, f"{p.campo}: {p.messaggio}") if x)
    # once each, by source row; within a row in the order of the checks (a set would vary between runs)
    res.problemi = sorted(dict.fromkeys(res.problemi), key=lambda s: int(re.search(r":riga (\d+):", s)[1]))
    if res.problemi and not parziale:
        res.bloccato = True
    if not scrivi or res.bloccato:
        return
    testi = {path: text for path, (text, _r, _p) in zip(staged, preparati) if staged[path][2].categoria != "scartato"}
    res.scritti.extend(_scrivi(progetto, testi))


PREFISSO_TEMPORANEO = ".importa-"


def _scrivi(progetto: Progetto, testi: dict[Path, str]) -> list[Path]:
    """Write the files all or nothing: every text goes first into a hidden folder under
    data/enti/ (same filesystem), then each is renamed into place with Ctrl-C and SIGTERM held
    back (atlante.base.segnali.rinviati). A reader never sees a half-written record; a failure
    while writing the texts (a full disk) leaves data/ as it was, and one during the renames
    puts back what had been replaced. A folder left by a killed run is removed by the next."""
    import shutil
    import tempfile

    from atlante.base.segnali import pulisci_avanzi, rinviati

    pulisci_avanzi(progetto.enti_dir, (PREFISSO_TEMPORANEO,))
    for folder in {path.parent for path in testi}:
        folder.mkdir(parents=True, exist_ok=True)
    stage = tempfile.mkdtemp(prefix=f"{PREFISSO_TEMPORANEO}{os.getpid()}-", dir=progetto.enti_dir)
    try:
        temporanei = []
        for i, text in enumerate(testi.values()):
            tmp = f"{stage}/{i}.yml"
            with open(tmp, "xb") as fh:  # bytes: no newline translation, no text layer
                fh.write(text.encode("utf-8"))
            temporanei.append(tmp)
        with rinviati():
            fatti: list[tuple[Path, str | None]] = []  # (path, its previous version kept in stage)
            try:
                for i, (tmp, path) in enumerate(zip(temporanei, testi)):
                    prima = None
                    if path.exists():
                        prima = f"{stage}/{i}.prima"
                        os.link(path, prima)
                    os.replace(tmp, path)
                    fatti.append((path, prima))
            except BaseException:
                for path, prima in reversed(fatti):
                    if prima is None:
                        path.unlink(missing_ok=True)
                    else:
                        os.replace(prima, path)
                raise
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return list(testi)


def salva_report(res: Risultato, out: Path) -> None:
    """The report as a CSV that Italian Excel opens directly (UTF-8 with BOM, ';'): every row,
    including those outside the Ambito or the filter, with what is to be checked."""
    righe = (
        [SINGOLARE[e.categoria], e.riga, e.nome, e.file, e.dettaglio, " | ".join(e.note), " | ".join(e.dedotti)]
        for e in sorted(res.esiti, key=lambda e: e.riga)
    )
    colonne = ["esito", "riga", "nome", "file", "dettaglio", "da verificare", "dedotto"]
    with out.open("w", encoding="utf-8", newline="") as fh:
        fh.write(testo_csv(colonne, righe))


def _gruppi(esiti: list[Esito], quanti: int = 15) -> str:
    conta: dict[str, int] = {}
    for e in esiti:
        conta[e.dettaglio] = conta.get(e.dettaglio, 0) + 1
    voci = sorted(conta.items(), key=lambda x: (-x[1], x[0]))
    testo = ", ".join(f"{k} ({n})" for k, n in voci[:quanti])
    return testo + (f" e altri {len(voci) - quanti}" if len(voci) > quanti else "")


def stampa(res: Risultato, prova: bool, file=None) -> None:
    file = file or sys.stdout
    p = lambda *a: print(*(visibile(x) for x in a), file=file)  # noqa: E731  # cells are untrusted
    p(f"Lettura: {res.descrizione_file}")
    p("Colonne usate: " + (", ".join(f"{h} → {f}" for _i, h, f in res.colonne.usate) or "nessuna"))
    p("Colonne ignorate: " + (", ".join(res.colonne.ignorate) or "nessuna"))
    if res.predefiniti:
        p(
            "Valori predefiniti per questo tipo: "
            + ", ".join(f"{k} = {v}" for k, v in res.predefiniti.items())
            + " (cambiali con 'valori' nella mappatura)"
        )
    if res.filtri:
        p("Filtri: " + "; ".join(res.filtri))
    if res.fonte:
        p(f"Fonte scritta nelle schede: {res.fonte}")
    for e in sorted(res.esiti, key=lambda e: e.riga):
        if e.categoria in _RAGGRUPPATE:
            continue
        where = f" {e.file}" if e.file else ""
        extra = f": {e.dettaglio}" if e.dettaglio else ""
        p(f"{res.sorgente.name}:riga {e.riga}: {SINGOLARE[e.categoria]}{where} ({e.nome}){extra}")
        for d in e.dedotti:
            p(f"{res.sorgente.name}:riga {e.riga}: dedotto: {d}")
        for n in e.note:
            p(f"{res.sorgente.name}:riga {e.riga}: da verificare: {n}")
    for cat in _RAGGRUPPATE:
        gruppo = [e for e in res.esiti if e.categoria == cat]
        if gruppo:
            p(f"{CATEGORIE[cat].capitalize()}: {len(gruppo)} righe: {_gruppi(gruppo)}")
    if res.problemi:
        p("Messaggi del validatore:")
        for line in res.problemi:
            p("  " + line)
    n_note = sum(len(e.note) for e in res.esiti if e.categoria in ("creato", "aggiornato", "invariato"))
    p(
        "Riepilogo: "
        + ", ".join(f"{res.conta(c)} {label}" for c, label in CATEGORIE.items())
        + f"; {n_note} valori da verificare."
    )
    if res.bloccato:
        p("Nessun file scritto: correggi le righe scartate nel file di origine e rilancia (o usa --parziale).")
    elif prova:
        p("Prova: nessun file scritto (togli --prova per importare).")
    else:
        p(f"{len(res.scritti)} file scritti.")
        if res.file_scartate:
            p(f"Righe scartate in {res.file_scartate}: correggile lì (colonna 'problema') e importa quel file.")
