"""`atlante validate`: every check on records and reference data, all problems at once.

What is wrong (a key path) is kept apart from where (line, column), which comes from
the YAML node tree afterwards. Nothing here writes to a data file.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

from atlante.base.formato import telefono_valido
from atlante.base.problems import Problem, sort_key
from atlante.lettura.progetto import TASSONOMIE_SCHEMA, TIPI, Progetto
from atlante.lettura.records import ID_RE, Record, load_record, record_files
from atlante.lettura.territorio import normalizza
from atlante.lettura.yamlfile import campo, read_yaml
from atlante.modello.schemi import inline_refs
from atlante.validazione.file import collegamento, controlla_file
from atlante.validazione.lessico import valida_lessico
from atlante.validazione.notizie import valida_notizie
from atlante.validazione.schema import check_schema
from atlante.validazione.testo import controlla_valori
from atlante.validazione.verbali import valida_verbali

BORDER_TOLERANCE_M = 150
STALE_WARNING_MONTHS = 24
REF_FIELDS = {"udo": ["ente_gestore"], "servizio": ["ente_gestore"], "patto": ["capofila", "aderenti"]}

_EMAIL_RE = re.compile(r"^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
_ISIL_RE = re.compile(r"^IT-[A-Z]{2}[0-9]{4}$")


def today() -> dt.date:
    return dt.date.today()


# -- helpers ---------------------------------------------------------------


class _Ctx:
    """Collects the problems of one record with the right file, line and column."""

    def __init__(self, rec: Record):
        self.rec = rec
        self.problems: list[Problem] = []

    def add(self, kp, msg, hint=None, livello="errore", at=None, codice=None):
        line, col = at or self.rec.doc.where(kp)
        self.problems.append(Problem(self.rec.display, line, col, campo(kp), msg, hint, livello, codice))


def check_url(value: str) -> str | None:
    """None when value is an acceptable public http(s) URL, else the reason in Italian."""
    if re.match(r"^\s*(javascript|data|vbscript|file):", value, re.I):
        return "solo indirizzi http o https: '" + value.split(":")[0] + ":' non è ammesso"
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https"):
        return "deve iniziare con https:// o http://"
    if not parts.netloc or " " in value or "." not in parts.netloc:
        return "indirizzo web non valido"
    return None


def check_phone(value: str) -> bool:
    return telefono_valido(value)


def check_codice_fiscale(value: str) -> str | None:
    from stdnum.it import codicefiscale, iva

    v = re.sub(r"[\s.]", "", value).upper().removeprefix("IT")
    if re.fullmatch(r"[0-9]{11}", v):
        return None if iva.is_valid(v) else "codice fiscale/partita IVA di 11 cifre con cifra di controllo errata"
    if len(v) == 16:
        return None if codicefiscale.is_valid(v) else "codice fiscale di 16 caratteri non valido"
    return "un codice fiscale ha 11 cifre (enti) o 16 caratteri (persone)"


def check_orari(value: str) -> str | None:
    from opening_hours import OpeningHours

    try:
        OpeningHours(value)
    except Exception:  # the parser raises its own error types
        return "orario non nella sintassi di OpenStreetMap"
    return None


def parse_date(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


# -- per-record checks ----------------------------------------------------


def check_record(progetto: Progetto, rec: Record) -> list[Problem]:
    ctx = _Ctx(rec)
    name = rec.path.name
    if rec.tipo is None:
        ctx.add(
            (),
            "il file non è in una cartella di schede",
            "mettilo in " + ", ".join(f"data/enti/{t.cartella}/" for t in TIPI.values()),
            at=(1, 1),
        )
        return ctx.problems
    if rec.path.suffix != ".yml":
        ctx.add(
            (),
            f"nome del file non valido '{name}': l'estensione deve essere .yml",
            f"rinominalo in {rec.path.stem}.yml" if rec.path.suffix == ".yaml" else None,
            at=(1, 1),
        )
    elif rec.path.stem == "index":
        ctx.add(
            (),
            f"nome del file non valido '{name}': 'index' è la pagina dell'elenco di data/enti/{rec.tipo.cartella}/",
            "rinomina il file con il nome dell'ente in minuscolo con trattini, es. associazione-il-sorriso.yml",
            at=(1, 1),
        )
    elif not ID_RE.match(rec.path.stem):
        suggestion = re.sub(r"[^a-z0-9]+", "-", normalizza(rec.path.stem)).strip("-")
        ctx.add(
            (),
            f"nome del file non valido '{name}': solo lettere minuscole, cifre e trattini",
            f"rinominalo in {suggestion}.yml" if suggestion else None,
            at=(1, 1),
        )
    ctx.problems.extend(rec.doc.problems)
    if not isinstance(rec.doc.data, dict):
        return ctx.problems
    ctx.problems.extend(check_schema(progetto, rec.tipo, rec.doc, rec.display))
    _check_content(progetto, rec, ctx)
    return ctx.problems


def _check_content(progetto: Progetto, rec: Record, ctx: _Ctx) -> None:
    d = rec.data
    terr = progetto.territorio
    # Control characters, bidi overrides, line breaks, raw HTML, dangerous links, remote images.
    controlla_valori(d, ctx.add)
    # Comune(i)
    comune = None
    if isinstance(d.get("comune"), str):
        comune = terr.trova(d["comune"])
        if comune is None:
            near = terr.suggerisci(d["comune"])
            ctx.add(
                ("comune",),
                f"comune sconosciuto '{d['comune']}': non è tra i comuni dell'Ambito",
                f"forse intendevi '{near}'?" if near else "scrivi il nome ufficiale del comune",
            )
    if isinstance(d.get("comuni"), list):
        for i, c in enumerate(d["comuni"]):
            if isinstance(c, str) and terr.trova(c) is None:
                near = terr.suggerisci(c)
                ctx.add(
                    ("comuni", i),
                    f"comune sconosciuto '{c}': non è tra i comuni dell'Ambito",
                    f"forse intendevi '{near}'?" if near else None,
                )
    # CAP
    cap = d.get("cap")
    if comune and isinstance(cap, str) and re.fullmatch(r"[0-9]{5}", cap) and comune.cap and cap not in comune.cap:
        ctx.add(
            ("cap",),
            f"il CAP {cap} non è quello di {comune.nome}",
            f"il CAP di {comune.nome} è {', '.join(comune.cap)}",
        )
    # Position
    pos = d.get("posizione")
    if (
        comune
        and isinstance(pos, dict)
        and all(isinstance(pos.get(k), (int, float)) and not isinstance(pos.get(k), bool) for k in ("lat", "lon"))
    ):
        _check_position(progetto, ctx, comune, float(pos["lat"]), float(pos["lon"]))
    # Contacts
    contatti = d.get("contatti") if isinstance(d.get("contatti"), dict) else {}
    tel = contatti.get("telefono")
    tels = (
        [(("contatti", "telefono"), tel)]
        if isinstance(tel, str)
        else [(("contatti", "telefono", i), t) for i, t in enumerate(tel or []) if isinstance(t, str)]
        if isinstance(tel, list)
        else []
    )
    for kp, t in tels:
        if not check_phone(t):
            ctx.add(
                kp, f"numero di telefono non valido '{t}'", "scrivi un numero italiano, es. 0373 123456 o 333 1234567"
            )
    for key in ("email", "pec"):
        v = contatti.get(key)
        if isinstance(v, str) and not _EMAIL_RE.match(v.strip()):
            ctx.add(("contatti", key), f"indirizzo email non valido '{v}'", "es. info@associazione.it")
    urls = []
    if isinstance(contatti.get("sito_web"), str):
        urls.append((("contatti", "sito_web"), contatti["sito_web"]))
    if isinstance(contatti.get("social"), list):
        urls += [(("contatti", "social", i), u) for i, u in enumerate(contatti["social"]) if isinstance(u, str)]
    if isinstance(d.get("documenti"), list):
        urls += [
            (("documenti", i, "url"), x["url"])
            for i, x in enumerate(d["documenti"])
            if isinstance(x, dict) and isinstance(x.get("url"), str)
        ]
    for kp, u in urls:
        reason = check_url(u)
        # the schema pattern already reports a missing http(s) prefix; add only what it cannot see
        if reason and re.match(r"^https?://", u):
            ctx.add(kp, f"{reason}: '{u}'")
    # Opening hours
    if isinstance(d.get("orari"), str):
        reason = check_orari(d["orari"])
        if reason:
            ctx.add(
                ("orari",),
                f"{reason}: '{d['orari']}'",
                "es. Mo-Fr 09:00-12:30; Sa 09:00-12:00, con Mo Tu We Th Fr Sa Su per lunedì...domenica",
            )
    # Identifiers
    if isinstance(d.get("codice_fiscale"), str):
        reason = check_codice_fiscale(d["codice_fiscale"])
        if reason:
            ctx.add(
                ("codice_fiscale",), f"{reason}: '{d['codice_fiscale']}'", "copialo dall'atto costitutivo o dal RUNTS"
            )
    if isinstance(d.get("isil"), str):
        from stdnum import isil

        if not (_ISIL_RE.match(d["isil"]) and isil.is_valid(d["isil"])):
            ctx.add(("isil",), f"codice ISIL non valido '{d['isil']}'", "formato IT-XX0000, es. IT-CR0001")
    # RUNTS coherence
    runts = d.get("runts")
    if isinstance(runts, dict) and runts.get("iscritto") is False and runts.get("sezione"):
        ctx.add(
            ("runts", "sezione"),
            "sezione indicata ma l'ente risulta non iscritto",
            "metti iscritto: true oppure togli la sezione",
        )
    # Dates
    ver = parse_date(d.get("verificato_il"))
    if ver:
        if ver > today():
            ctx.add(
                ("verificato_il",),
                f"data nel futuro: {ver.isoformat()}",
                "indica il giorno in cui hai controllato i dati",
            )
        elif (today() - ver).days > STALE_WARNING_MONTHS * 30.44:
            ctx.add(
                ("verificato_il",),
                f"informazioni verificate più di {STALE_WARNING_MONTHS} mesi fa ({ver.isoformat()})",
                "ricontrolla la scheda e aggiorna la data",
                livello="avviso",
                codice="stale",
            )
    periodo = d.get("periodo")
    if isinstance(periodo, dict):
        ini, fine = parse_date(periodo.get("inizio")), parse_date(periodo.get("fine"))
        if ini and fine and fine < ini:
            ctx.add(("periodo", "fine"), f"la fine ({fine.isoformat()}) è prima dell'inizio ({ini.isoformat()})")
    # posti a contratto <= accreditati <= autorizzati (when both of a pair are given)
    for meno, piu in (("posti_accreditati", "posti"), ("posti_a_contratto", "posti_accreditati")):
        a, b = d.get(meno), d.get(piu)
        if isinstance(a, int) and isinstance(b, int) and not isinstance(a, bool) and a > b:
            ctx.add(
                (meno,),
                f"{a} posti sono più dei {b} di '{piu}'",
                "i posti a contratto non superano gli accreditati, e questi gli autorizzati",
            )
    if d.get("sintetico") is True:
        ctx.add(("sintetico",), "scheda sintetica: non sarà pubblicata", livello="avviso")


def _check_position(progetto: Progetto, ctx: _Ctx, comune, lat: float, lon: float) -> None:
    terr = progetto.territorio
    dist = terr.distanza_m(comune.istat, lat, lon)
    if dist is None or dist <= BORDER_TOLERANCE_M:
        return
    swapped = terr.distanza_m(comune.istat, lon, lat)
    if swapped is not None and swapped <= BORDER_TOLERANCE_M:
        ctx.add(("posizione",), "latitudine e longitudine sembrano scambiate", f"prova lat: {lon}, lon: {lat}")
        return
    other = terr.comune_in(lat, lon)
    where = f"nel comune di {other.nome}" if other else "fuori dall'Ambito"
    ctx.add(
        ("posizione",),
        f"la posizione cade {where}, a {dist / 1000:.1f} km da {comune.nome}",
        "controlla le coordinate: su openstreetmap.org tasto destro sul punto → 'Mostra indirizzo'",
    )


# -- cross-record checks --------------------------------------------------


def check_references(records: list[Record]) -> list[Problem]:
    """References by id resolve; the same entity is not described twice."""
    ids = {r.id: r for r in records}
    out: list[Problem] = []
    for rec in records:
        ctx = _Ctx(rec)
        for fld in REF_FIELDS.get(rec.tipo.id if rec.tipo else "", []):
            val = rec.data.get(fld)
            items = (
                [((fld,), val)]
                if isinstance(val, str)
                else [((fld, i), v) for i, v in enumerate(val) if isinstance(v, str)]
                if isinstance(val, list)
                else []
            )
            for kp, ref in items:
                if ID_RE.match(ref) and ref not in ids:
                    near = difflib.get_close_matches(ref, list(ids), n=1, cutoff=0.7)
                    ctx.add(
                        kp,
                        f"nessuna scheda con id '{ref}'",
                        f"forse intendevi '{near[0]}'?"
                        if near
                        else "scrivi l'id di una scheda (nome del file senza .yml) oppure il nome dell'ente",
                    )
                elif ref == rec.id:
                    ctx.add(kp, "la scheda non può riferirsi a sé stessa")
        out.extend(ctx.problems)
    # Duplicates
    by_cf: dict[str, list[Record]] = defaultdict(list)
    by_name: dict[tuple, list[Record]] = defaultdict(list)
    for rec in records:
        cf = rec.data.get("codice_fiscale")
        if isinstance(cf, str) and cf.strip():
            by_cf[re.sub(r"\s", "", cf).upper()].append(rec)
        nome, comune = rec.data.get("nome"), rec.data.get("comune")
        if isinstance(nome, str) and isinstance(comune, str) and rec.tipo:
            by_name[(rec.tipo.id, normalizza(nome), normalizza(comune))].append(rec)
    for key, group in [*(("codice_fiscale", g) for g in by_cf.values()), *(("nome", g) for g in by_name.values())]:
        if len(group) < 2:
            continue
        for rec in group:
            # one name in one comune: two bodies with two tax codes or ISIL, or two structures of one
            # body at two addresses (an RSA in via Kennedy and one in via Zurla) are not duplicates
            stessi = [o for o in group if o is not rec and (key == "codice_fiscale" or not _distinti(rec, o))]
            if not stessi:
                continue
            others = ", ".join(o.display for o in stessi)
            what = "stesso codice fiscale" if key == "codice_fiscale" else "stesso nome nello stesso comune"
            line, col = rec.doc.where((key,))
            out.append(
                Problem(
                    rec.display,
                    line,
                    col,
                    key,
                    f"ente duplicato ({what}) di {others}",
                    "tieni una sola scheda per ente",
                )
            )
    return out


def _distinti(a: Record, b: Record) -> bool:
    """Two records of one name in one comune that say they are different entities."""
    for chiave in ("codice_fiscale", "isil", "indirizzo"):
        x, y = a.data.get(chiave), b.data.get(chiave)
        if isinstance(x, str) and isinstance(y, str) and x.strip() and y.strip():
            if re.sub(r"[\W_]+", "", normalizza(x)) != re.sub(r"[\W_]+", "", normalizza(y)):
                return True
    return False


# -- reference data -------------------------------------------------------


def check_reference_data(progetto: Progetto) -> list[Problem]:
    """The territory, taxonomies, organi and schemas agree with each other."""
    out: list[Problem] = []

    def bad(path: str, msg: str):
        out.append(Problem(path, 1, 1, "(dati di riferimento)", msg))

    try:
        terr = progetto.territorio
    except Exception as e:  # a broken reference file must be reported, not crash
        bad("data/territorio/ambito.yml", f"dati del territorio non leggibili: {e}")
        return out
    seen: dict[str, str] = {}
    for s in terr.sub_ambiti.values():
        for code in s.comuni:
            if code in seen:
                bad(
                    "data/territorio/ambito.yml",
                    f"il comune {terr.comuni[code].nome} è in due sub-ambiti ({seen[code]}, {s.id})",
                )
            seen[code] = s.id
    for code, c in terr.comuni.items():
        if terr.sub_ambiti and code not in seen:
            bad("data/territorio/ambito.yml", f"il comune {c.nome} non appartiene a nessun sub-ambito")
    codes_geo = {f["properties"]["istat"] for f in terr.confini_geojson["features"]}
    for code in set(terr.comuni) - codes_geo:
        bad("data/territorio/confini.geojson", f"manca il confine del comune {terr.comuni[code].nome}")
    # Every allowed value of every kind has its Italian name in the schema (x-etichette), so that
    # no page or export has to invent one.
    tassonomie = progetto.schemas.get(TASSONOMIE_SCHEMA, {}).get("$defs", {})
    for nome, d in tassonomie.items():
        mancano = [str(v) for v in d.get("enum", []) if v not in (d.get("x-etichette") or {})]
        if mancano:
            bad(f"data/schemas/{TASSONOMIE_SCHEMA}", f"{nome}: manca il nome in x-etichette per {', '.join(mancano)}")
    gia_visti = {tuple(d.get("enum", [])) for d in tassonomie.values()}  # reported once, above
    for tipo in TIPI.values():
        if tipo.schema not in progetto.schemas:
            continue
        for chiave, nomi in _valori_senza_etichetta(progetto, tipo, gia_visti):
            bad(f"data/schemas/{tipo.schema}", f"{chiave}: manca il nome in x-etichette per {', '.join(nomi)}")
    for oid, o in progetto.organi.items():
        for key in ("nome", "descrizione", "fonte"):
            if not o.get(key):
                bad("data/organi.yml", f"organo '{oid}': manca '{key}'")
        for c in o.get("storia") or []:
            if not isinstance(c, dict) or not c.get("composizione") or not c.get("fonte"):
                bad("data/organi.yml", f"organo '{oid}': ogni composizione precedente ha 'composizione' e 'fonte'")
        for s in o.get("sedute") or []:
            if not isinstance(s, dict) or not isinstance(s.get("data"), dt.date) or not s.get("fonte"):
                bad("data/organi.yml", f"organo '{oid}': ogni seduta ha 'data' (AAAA-MM-GG) e 'fonte'")
    out.extend(_testo_organi(progetto))
    return out


def _testo_organi(progetto: Progetto) -> list[Problem]:
    """The organi's names and descriptions reach titles, headers and feeds: same text rules as records."""
    path = progetto.data_dir / "organi.yml"
    if not path.is_file():
        return []
    doc = read_yaml(path, progetto.rel(path), elenco=True)
    out: list[Problem] = list(doc.problems)

    def add(kp, msg, hint=None):
        line, col = doc.where(kp)
        oid = doc.data[kp[0]].get("id") if isinstance(doc.data[kp[0]], dict) else None
        out.append(Problem(progetto.rel(path), line, col, f"organo '{oid}': {campo(kp[1:])}", msg, hint))

    if isinstance(doc.data, list):
        for i, organo in enumerate(doc.data):
            controlla_valori(organo, add, (i,))
    return out


# -- entry point ----------------------------------------------------------


def validate(
    progetto: Progetto,
    paths: list[Path] | None = None,
    lette: dict[Path, Record] | None = None,
    sui_core: bool = True,
) -> list[Problem]:
    """All problems, sorted. With paths, only those files are reported (all are loaded for references).
    lette: records the caller has read already (the build: one reading for validation and pages),
    by path; they are checked as they are, not read again. sui_core=False: in this process only
    (the build validates in a process beside its own work: workers forked from it would compete
    with that work for the cores and cost 0.5-1 s more CPU at 10,000 records)."""
    all_files = record_files(progetto)
    wanted = None
    if paths:
        wanted = set()
        resolved = {f.resolve() for f in all_files}  # once: linear in the number of paths given
        for p in paths:
            p = p.resolve()
            if p.is_dir():
                wanted.update(f for f in resolved if p in f.parents)
            elif p in resolved:
                wanted.add(p)
            if p.is_dir():
                wanted.add(p)  # lets other content kinds (verbali, news) select their files too
            elif p.is_file() and p not in wanted:
                wanted.add(p)
                if not (p.suffix == ".md" and progetto.content_dir in p.parents):
                    all_files.append(p)
    problems: list[Problem] = []
    records: list[Record] = []
    controlli = _check_files(progetto, all_files, wanted, lette or {}, _PARALLEL_MIN_FILES if sui_core else None)
    for f, (file_problems, rec) in zip(all_files, controlli):
        problems.extend(file_problems)
        if rec is None and lette and f in lette and _utilizzabile(lette[f]):
            rec = lette[f]  # the worker did not send back what the caller has
        if rec is not None:
            records.append(rec)
    cross = check_references(records)
    if wanted is not None:
        cross = [p for p in cross if (progetto.root / p.path).resolve() in wanted]
    else:
        problems.extend(check_reference_data(progetto))
        problems.extend(controlla_file(progetto))
        problems.extend(valida_lessico(progetto))
    if paths:  # a link named on the command line
        problems.extend(collegamento(progetto, p.absolute()) for p in paths if p.is_symlink())
    problems.extend(cross)
    problems.extend(valida_notizie(progetto, wanted))
    problems.extend(valida_verbali(progetto, wanted))
    return sorted(set(problems), key=sort_key)


_PARALLEL_MIN_FILES = 1500


def _utilizzabile(rec: Record) -> bool:
    return rec.tipo is not None and isinstance(rec.doc.data, dict) and rec.path.suffix == ".yml"


def _check_one(contesto: tuple, f: Path) -> tuple[list[Problem], Record | None]:
    progetto, wanted, lette = contesto
    rec = lette.get(f)
    letta = rec is not None
    rec = rec or load_record(progetto, f)
    problems = check_record(progetto, rec) if wanted is None or f.resolve() in wanted else []
    if letta:
        return problems, None  # the caller has it
    rec.doc.text = ""  # not needed past this point; keeps inter-process traffic small
    return problems, rec if _utilizzabile(rec) else None


def _check_files(progetto: Progetto, files: list[Path], wanted, lette: dict, minimo: int | None) -> list:
    """Per-file checks; from `minimo` files on, spread over the machine's cores (order is kept)."""
    from atlante.base.parallelo import mappa

    if minimo is None:
        return [_check_one((progetto, wanted, lette), f) for f in files]
    return mappa(_check_one, (progetto, wanted, lette), files, minimo)


def _valori_senza_etichetta(progetto: Progetto, tipo, salta: set) -> list[tuple[str, list[str]]]:
    out = []

    def visita(sch: dict, prefisso: str):
        for nome, sub in (sch.get("properties") or {}).items():
            spec = sub if "enum" in sub else (sub.get("items") or {})
            if "enum" in spec and tuple(spec["enum"]) not in salta:
                nomi = spec.get("x-etichette") or {}
                mancano = [str(v) for v in spec["enum"] if v not in nomi]
                if mancano:
                    out.append((prefisso + nome, mancano))
            figlio = sub if sub.get("type") == "object" else (sub.get("items") or {})
            visita(figlio, prefisso + nome + ".")

    visita(inline_refs(progetto.schemas[tipo.schema], progetto.schemas, tipo.schema), "")
    return out
