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
from atlante.base.parallelo import mappa
from atlante.importazione import pulizia as P
from atlante.importazione.colonne import Colonne, campi_ammessi, conta_note, leggi_mappatura, risolvi
from atlante.importazione.letture import leggi_tabella
from atlante.importazione.righe import Convertitore
from atlante.lettura.progetto import TIPI, TIPO_PER_CARTELLA, Progetto
from atlante.lettura.records import SCHEMA_LINE, Record, load_records
from atlante.lettura.territorio import normalizza
from atlante.lettura.yamlfile import YamlDoc, doc_scritto, read_yaml

SOGLIA_SIMILE = 88  # rapidfuzz token_sort_ratio: "Ass. Prova Uno" ~ "Associazione Prova Uno"
_MIN_PARALLELO = 1500  # would-be files from which their checks are spread over the cores
SINGOLARE = {
    "creato": "creato",
    "aggiornato": "aggiornato",
    "invariato": "invariato",
    "da_verificare": "da verificare",
    "scartato": "scartato",
}
CATEGORIE = {
    "creato": "creati",
    "aggiornato": "aggiornati",
    "invariato": "invariati",
    "da_verificare": "da verificare",
    "scartato": "scartati",
}
# Legal-form tags that the same body writes or omits at will.
_SIGLE = re.compile(r"\b(o ?d ?v|a ?p ?s|e ?t ?s|onlus|a ?s ?d|s ?c ?s|soc coop|scs)\b")


@dataclass
class Esito:
    categoria: str
    riga: int
    nome: str
    file: str
    dettaglio: str = ""


@dataclass
class Risultato:
    sorgente: Path
    colonne: Colonne
    descrizione_file: str
    esiti: list[Esito] = field(default_factory=list)
    scritti: list[Path] = field(default_factory=list)
    problemi: list[str] = field(default_factory=list)  # "FILE:riga N: campo: messaggio"
    bloccato: bool = False

    def conta(self, categoria: str) -> int:
        return sum(e.categoria == categoria for e in self.esiti)


def nome_chiave(nome: str) -> str:
    return re.sub(r"\s+", " ", _SIGLE.sub(" ", normalizza(nome))).strip()


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


def _uguale(terr, kp: tuple, old, new) -> bool:
    if old is None:
        return False
    if kp == ("contatti", "telefono"):
        as_list = lambda v: v if isinstance(v, list) else [v]  # noqa: E731
        return {P.chiave_telefono(str(x)) for x in as_list(old)} == {P.chiave_telefono(str(x)) for x in as_list(new)}
    if kp == ("nome",):  # matched on this form: "X ODV" and "X" are the same name
        return nome_chiave(str(old)) == nome_chiave(str(new))
    if kp == ("comune",):
        a, b = terr.trova(str(old)), terr.trova(str(new))
        return a is not None and a == b
    if isinstance(new, list):
        return isinstance(old, list) and [P.testo(x) for x in old] == [P.testo(x) for x in new]
    if isinstance(new, (bool, int, float)) and not isinstance(new, str):
        return old == new and type(old) is type(new) or (not isinstance(old, bool) and old == new)
    a, b = P.testo(old), P.testo(new)
    if kp[-1] in ("email", "pec", "codice_fiscale"):
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


def importa(
    progetto: Progetto,
    sorgente: Path,
    tipo_nome: str,
    mappatura: Path | None = None,
    prova: bool = False,
    aggiorna: bool = False,
    oggi: dt.date | None = None,
) -> Risultato:
    """Import one file; raises LetturaFallita / MappaturaNonValida for files that cannot be read."""
    from rapidfuzz import fuzz, process

    tipo = _tipo(tipo_nome)
    oggi = oggi or dt.date.today()
    mapp = leggi_mappatura(mappatura, campi_ammessi(tipo.id)) if mappatura else None
    tab = leggi_tabella(sorgente, conta_note(tipo.id, mapp))
    colonne = risolvi(tab.intestazioni, tipo.id, mapp)
    sep = f", separatore {tab.separatore}" if tab.separatore else ""
    res = Risultato(sorgente, colonne, f"{sorgente.name} ({tab.codifica}{sep}), {len(tab.righe)} righe")
    if not any(f == "nome" for _i, _h, f in colonne.usate):
        res.bloccato = True
        res.problemi.append(
            f"{sorgente.name}: nessuna colonna per il nome dell'ente (es. 'Denominazione'); indicala con --mappatura"
        )
        return res
    conv = Convertitore(progetto, tipo, colonne, mapp, sorgente.name, oggi)
    terr = progetto.territorio
    cartella = progetto.enti_dir / tipo.cartella
    esistenti = load_records(progetto)
    ids_presi = {r.id for r in esistenti}
    per_cf, per_nome, per_comune = {}, {}, {}
    for r in esistenti:
        if r.tipo is not tipo:
            continue
        cf = r.data.get("codice_fiscale")
        if isinstance(cf, str) and cf.strip():
            per_cf.setdefault(P.codice_fiscale(cf), r)
        if isinstance(r.data.get("nome"), str):
            k = nome_chiave(r.data["nome"])
            ist = _istat(terr, r.data)
            per_nome.setdefault((k, ist), r)
            per_comune.setdefault(ist, {})[k] = r
    visti_cf: dict[str, int] = {}
    visti_nome: dict[tuple, int] = {}
    # real path -> (data of a new record | None, changes to an existing one | None, outcome)
    staged: dict[Path, tuple[dict | None, list | None, Esito]] = {}

    for riga in tab.righe:
        # in this process: the phone numbers it parses are then known to the forked validators
        dati, errori, dalla_riga = conv.converti(riga.valori)
        nome = dati.get("nome") or ""
        if not nome:
            errori.insert(0, "nome: manca il nome dell'ente")
        if errori:
            res.esiti.append(Esito("scartato", riga.numero, P.testo(nome), "", "; ".join(errori)))
            continue
        k, ist, cf = nome_chiave(nome), _istat(terr, dati), dati.get("codice_fiscale")
        # the same body twice in the source: keep the first, a person decides about the other
        prima = (visti_cf.get(cf) if cf else None) or visti_nome.get((k, ist))
        if prima:
            res.esiti.append(
                Esito("da_verificare", riga.numero, nome, "", f"stesso ente della riga {prima}: non unito")
            )
            continue
        if cf:
            visti_cf[cf] = riga.numero
        visti_nome[(k, ist)] = riga.numero
        rec = per_cf.get(cf) if cf else None
        if rec is None:
            rec = per_nome.get((k, ist))
            other_cf = rec.data.get("codice_fiscale") if rec else None
            if rec and cf and isinstance(other_cf, str) and P.codice_fiscale(other_cf) != cf:
                res.esiti.append(
                    Esito(
                        "da_verificare",
                        riga.numero,
                        nome,
                        rec.display,
                        f"stesso nome e comune di {rec.display} ma codice fiscale diverso ({other_cf})",
                    )
                )
                continue
        if rec is None:
            simili = per_comune.get(ist, {})
            near = (
                process.extractOne(k, list(simili), scorer=fuzz.token_sort_ratio, score_cutoff=SOGLIA_SIMILE)
                if simili
                else None
            )
            if near:
                r2 = simili[near[0]]
                other_cf = r2.data.get("codice_fiscale")
                if not (cf and isinstance(other_cf, str) and P.codice_fiscale(other_cf) != cf):
                    res.esiti.append(
                        Esito(
                            "da_verificare",
                            riga.numero,
                            nome,
                            r2.display,
                            f"nome simile a '{r2.nome}' ({r2.display}) nello stesso comune: "
                            "se è lo stesso ente correggi il nome nel file; se sono enti diversi "
                            "indica il codice fiscale di entrambi",
                        )
                    )
                    continue
            base = P.slug(nome)
            new_id, n = base, 2
            while new_id in ids_presi:
                new_id, n = f"{base}-{n}", n + 1
            ids_presi.add(new_id)
            path = cartella / f"{new_id}.yml"
            e = Esito("creato", riga.numero, nome, progetto.rel(path))
            staged[path] = (dati, None, e)
            res.esiti.append(e)
            continue
        # An existing record: only the fields the source states and that really differ.
        # verificato_il and fonte filled by default (import date, file name) are no change of data
        modifiche = [
            (kp, v)
            for kp, v in _leaf_items(dati)
            if (kp[0] not in ("verificato_il", "fonte") or kp[0] in dalla_riga)
            and not _uguale(terr, kp, _get(rec.data, kp), v)
        ]
        if not modifiche:
            res.esiti.append(Esito("invariato", riga.numero, nome, rec.display))
            continue
        campi = ", ".join(".".join(kp) for kp, _v in modifiche)
        if not aggiorna:
            res.esiti.append(
                Esito(
                    "da_verificare",
                    riga.numero,
                    nome,
                    rec.display,
                    f"esiste già e la fonte cambia {campi}: rilancia con --aggiorna per aggiornarla",
                )
            )
            continue
        if "verificato_il" not in dalla_riga:
            modifiche.append((("verificato_il",), dati["verificato_il"]))
        e = Esito("aggiornato", riga.numero, nome, rec.display, f"cambiati: {campi}")
        staged[rec.path] = (None, modifiche, e)
        res.esiti.append(e)

    if res.conta("scartato"):
        res.bloccato = True
    if staged:
        _valida_e_scrivi(progetto, sorgente, staged, conv.ordine, esistenti, res, scrivi=not (prova or res.bloccato))
    return res


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


def _valida_e_scrivi(
    progetto: Progetto, sorgente: Path, staged: dict, ordine: list, esistenti: list, res: Risultato, scrivi: bool
) -> None:
    """Validate the would-be files as records in memory (each file's own checks, spread over the
    cores, then references and duplicates together with every other record); write them only
    when all are valid. Nothing touches the disk before that, so a refused import leaves data/
    byte for byte as it was."""
    from atlante.validazione.controlli import check_references

    voci = [(path, e.file, dati, modifiche, ordine) for path, (dati, modifiche, e) in staged.items()]
    preparati = mappa(_prepara, progetto, voci, _MIN_PARALLELO)
    per_file: dict[str, Esito] = {e.file: e for _d, _m, e in staged.values()}
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
    if res.problemi:
        res.bloccato = True
    if not scrivi or res.bloccato:
        return
    res.scritti.extend(_scrivi(progetto, {path: text for path, (text, _r, _p) in zip(staged, preparati)}))


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
    """The report as a CSV that Italian Excel opens directly (UTF-8 with BOM, ';')."""
    righe = (
        [SINGOLARE[e.categoria], e.riga, e.nome, e.file, e.dettaglio] for e in sorted(res.esiti, key=lambda e: e.riga)
    )
    with out.open("w", encoding="utf-8", newline="") as fh:
        fh.write(testo_csv(["esito", "riga", "nome", "file", "dettaglio"], righe))


def stampa(res: Risultato, prova: bool, file=None) -> None:
    file = file or sys.stdout
    p = lambda *a: print(*a, file=file)  # noqa: E731
    p(f"Lettura: {res.descrizione_file}")
    p("Colonne usate: " + (", ".join(f"{h} → {f}" for _i, h, f in res.colonne.usate) or "nessuna"))
    p("Colonne ignorate: " + (", ".join(res.colonne.ignorate) or "nessuna"))
    for e in sorted(res.esiti, key=lambda e: e.riga):
        where = f" {e.file}" if e.file else ""
        extra = f": {e.dettaglio}" if e.dettaglio else ""
        p(f"{res.sorgente.name}:riga {e.riga}: {SINGOLARE[e.categoria]}{where} ({e.nome}){extra}")
    if res.problemi:
        p("Messaggi del validatore:")
        for line in res.problemi:
            p("  " + line)
    p("Riepilogo: " + ", ".join(f"{res.conta(c)} {label}" for c, label in CATEGORIE.items()) + ".")
    if res.bloccato:
        p("Nessun file scritto: correggi le righe scartate nel file di origine e rilancia.")
    elif prova:
        p("Prova: nessun file scritto (togli --prova per importare).")
    else:
        p(f"{len(res.scritti)} file scritti.")
