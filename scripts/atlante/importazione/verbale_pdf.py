"""From the PDF of a verbale to a draft page: text extraction and what can be read from it.

`leggi_pdf` opens a PDF, or the PDF inside a signed envelope (`.pdf.p7m`, CAdES: asn1crypto
unwraps the CMS SignedData), and extracts each page's text with pypdf in layout mode, so that
the columns of the presenti/assenti table keep their places. A PDF with no text layer (a scan)
raises SenzaTesto: it needs OCR first. `leggi_verbale_pdf` then finds, only where the text says
so unambiguously, the fields of data/schemas/verbale.schema.json: organo, date, times, seduta,
modalità and luogo, convocazione, presenti and assenti, the ordine del giorno with esito and
votes. Nothing is invented: what is not found stays empty. Lines that look like personal data
(dates of birth, tax codes, CVs, health) are returned with their reason, for the editor to omit.
"""

from __future__ import annotations

import base64
import io
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

MESI = "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre".split()


class ErroreVerbalePdf(Exception):
    """The file cannot become a draft; the message (Italian) says why and what to do."""


class SenzaTesto(ErroreVerbalePdf):
    pass


# -- opening ---------------------------------------------------------------


def estrai_da_p7m(dati: bytes) -> bytes:
    """The document inside a CAdES signed envelope (DER, or the same in base64)."""
    from asn1crypto import cms

    if not dati.startswith(b"\x30"):
        try:
            dati = base64.b64decode(b"".join(dati.split()), validate=True)
        except ValueError:
            raise ErroreVerbalePdf("il file .p7m non è una busta firmata leggibile (né DER né base64)") from None
    try:
        info = cms.ContentInfo.load(dati)
        if info["content_type"].native != "signed_data":
            raise ErroreVerbalePdf("il file .p7m non contiene un documento firmato (SignedData)")
        contenuto = info["content"]["encap_content_info"]["content"].native
    except ErroreVerbalePdf:
        raise
    except Exception:  # asn1crypto raises several kinds on malformed input
        raise ErroreVerbalePdf("il file .p7m non è una busta firmata leggibile") from None
    if not contenuto:
        raise ErroreVerbalePdf("la busta .p7m non contiene il documento (firma 'detached'): serve il PDF firmato")
    if contenuto[:2] == b"\x30\x80" or contenuto[:1] == b"\x30":  # signed twice: open the inner envelope
        return estrai_da_p7m(contenuto)
    return contenuto


def testo_pagine(dati: bytes) -> list[str]:
    """The text of each page (layout mode); SenzaTesto for a scan without a text layer."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    if dati[:5] != b"%PDF-":
        dati = estrai_da_p7m(dati)
        if dati[:5] != b"%PDF-":
            raise ErroreVerbalePdf("la busta firmata non contiene un PDF")
    try:
        reader = PdfReader(io.BytesIO(dati))
        if reader.is_encrypted:
            raise ErroreVerbalePdf("il PDF è protetto da password: salvane una copia senza protezione")
        pagine = [p.extract_text(extraction_mode="layout") or "" for p in reader.pages]
    except PdfReadError as e:
        raise ErroreVerbalePdf(f"il PDF non si legge ({e})") from None
    if sum(len(p.strip()) for p in pagine) < 20:
        raise SenzaTesto(
            "il PDF non contiene testo: è una scansione (immagini delle pagine). Serve prima il "
            "riconoscimento del testo (OCR), ad esempio con il programma dello scanner o con ocrmypdf; "
            "poi rilancia il comando sul PDF con il testo. Non è stato scritto nessun file."
        )
    return pagine


# -- reading ---------------------------------------------------------------


@dataclass
class Letto:
    """What the PDF says: front matter values, which of them are guesses, the body, the flags."""

    campi: dict = field(default_factory=dict)
    dedotti: set = field(default_factory=set)  # fields read from the text: to be checked
    corpo: list[str] = field(default_factory=list)  # Markdown lines
    personali: dict[int, str] = field(default_factory=dict)  # index in corpo -> reason


_NUMERO_PAGINA = re.compile(r"^(pag(ina)?\.?\s*)?\d{1,3}(\s*(di|/)\s*\d{1,3})?$", re.I)


def _norm(s: str) -> str:
    s = unicodedata.normalize("NFKD", s.replace("’", "'")).encode("ascii", "ignore").decode().lower()
    return " ".join(re.sub(r"[^a-z0-9/]+", " ", s).split())


def righe_utili(pagine: list[str]) -> list[str]:
    """The lines of every page without running headers, footers and page numbers."""
    per_pagina = [[r.rstrip() for r in p.splitlines()] for p in pagine]
    bordi = Counter()
    for righe in per_pagina:
        piene = [r.strip() for r in righe if r.strip()]
        bordi.update(set(piene[:2] + piene[-2:]))
    ripetute = {r for r, n in bordi.items() if len(pagine) > 1 and n >= max(2, len(pagine) * 2 // 3)}
    out = []
    for righe in per_pagina:
        for r in righe:
            t = r.strip()
            if t in ripetute or _NUMERO_PAGINA.match(t) or re.fullmatch(r"pagina \d+ di \d+", t, re.I):
                continue
            out.append(r)
    return out


def _colonne(riga: str) -> list[tuple[int, str]]:
    """(start column, text) of each run of text separated by 2+ spaces."""
    return [(m.start(), m.group()) for m in re.finditer(r"\S+(?: \S+)*", riga)]


def tabella_presenze(righe: list[str]) -> tuple[int, int, list[dict], list[dict]] | None:
    """The presenti/assenti table: (first line, last line, presenti, assenti), or None."""
    for i, r in enumerate(righe):  # noqa: B007 - i is the header's line, used below
        n = _norm(r)
        if "presente" in n and "assente" in n and re.search(r"presente", r, re.I):
            c_pres = re.search(r"present[ei]", r, re.I).start()
            c_ass = re.search(r"assent[ei]", r, re.I).start()
            m_ruolo = re.search(r"ruolo|carica|qualifica", r, re.I)
            c_ruolo = m_ruolo.start() if m_ruolo else None
            break
    else:
        return None
    gruppi: list[dict] = []
    fine = i
    for j in range(i + 1, len(righe)):
        cols = _colonne(righe[j])
        if not cols:
            continue
        segni = [(c, t) for c, t in cols if t.upper() == "X" and c >= min(c_pres, c_ass) - 3]
        testo = [(c, t) for c, t in cols if (c, t) not in segni]
        nome = " ".join(t for c, t in testo if c_ruolo is None or c < c_ruolo - 1)
        ruolo = " ".join(t for c, t in testo if c_ruolo is not None and c >= c_ruolo - 1)
        if nome:
            if gruppi and not gruppi[-1]["segni"]:
                break  # the previous group had no mark: it was not a row
            gruppi.append({"nome": nome, "ruolo": ruolo, "segni": [], "fine": j})
        elif gruppi and (ruolo or segni):
            if ruolo:
                gruppi[-1]["ruolo"] = (gruppi[-1]["ruolo"] + " " + ruolo).strip()
        else:
            continue
        gruppi[-1]["segni"] += [c for c, _ in segni]
        gruppi[-1]["fine"] = j
    righe_tab = [g for g in gruppi if g["segni"]]
    if not righe_tab:
        return None
    fine = righe_tab[-1]["fine"]
    presenti, assenti = [], []
    for g in righe_tab:
        persona = {"nome": g["nome"], **({"ruolo": g["ruolo"]} if g["ruolo"] else {})}
        c = g["segni"][0]
        (presenti if abs(c - c_pres) <= abs(c - c_ass) else assenti).append(persona)
    return i, fine, presenti, assenti


_DATA_TESTO = re.compile(r"\b(\d{1,2})\s*(?:°|º)?\s+(" + "|".join(MESI) + r")\s+(\d{4})\b", re.I)
_ORA = r"\bore\s+(\d{1,2})(?:\s*[.:,]\s*(\d{2}))?\b"
_VOTO = re.compile(r"\b(favorevoli|contrari|astenuti|votanti)\b\W{0,3}(?:n\.\s*)?(\d{1,3})\b", re.I)
_ESITO = re.compile(r"\b(approvat|respint|elett|nominat)", re.I)  # the decision's verb
_ABBREVIAZIONI = re.compile(r"\b(dr|dott|dott\.ssa|sig|sig\.ra|prof|ing|avv|arch|n|prot|art)\.\s", re.I)
_CF = re.compile(r"\b[A-Z]{6}\d{2}[A-EHLMPRST]\d{2}[A-Z]\d{3}[A-Z]\b")
PERSONALI = [
    (re.compile(r"\bnat[oa]\s+(a|il|ad|in)\b|data di nascita|luogo di nascita", re.I), "data o luogo di nascita"),
    (_CF, "codice fiscale"),
    (
        re.compile(
            r"curricul|\bcv\b|titolo di studio|\blaurea in\b|\bdiploma di\b|esperienze|\bresidenza\b"
            r"|\bdal \d{4} (ad oggi|al \d{4})|attualmente dipendente|\b(19[2-9]\d|200\d)\s*[A-Z][a-zà-ù]+",
            re.I,
        ),
        "curriculum (studi, lavoro, anno e luogo di nascita)",
    ),
    (
        re.compile(
            r"diagnos|patologi|stato di salute|certificat[oa] medic|ricover|terapi[ae]\b|sanitari[ao] personal", re.I
        ),
        "informazioni sulla salute",
    ),
]


def _ora(h: str, m: str | None) -> str | None:
    return f"{int(h):02d}:{m or '00'}" if 0 <= int(h) <= 23 else None


def _parole(s: str) -> set[str]:
    return {w for w in _norm(s).split() if len(w) > 3}


def leggi_verbale_pdf(pagine: list[str], organi: dict, organo: str | None = None) -> Letto:
    righe = righe_utili(pagine)
    letto = Letto()
    c, ded = letto.campi, letto.dedotti
    testa = "\n".join(r.strip() for r in righe[:25])
    piatto = " ".join(" ".join(r.split()) for r in righe)

    if organo:
        c["organo"] = organo
    else:
        trovato = _organo(testa, organi)
        if trovato:
            c["organo"], _ = trovato, ded.add("organo")
    if m := _DATA_TESTO.search(testa):
        c["data"] = f"{int(m[3]):04d}-{MESI.index(m[2].lower()) + 1:02d}-{int(m[1]):02d}"
        ded.add("data")
    if m := re.search(_ORA, testa, re.I):
        if o := _ora(m[1], m[2]):
            c["ora_inizio"] = o
            ded.add("ora_inizio")
    fine = re.search(r"\b(chiude|chiusa|termina|terminano|conclude|concludono|tolta)\b[^.]{0,60}?" + _ORA, piatto, re.I)
    if fine and (o := _ora(fine[2], fine[3])):
        c["ora_fine"] = o
        ded.add("ora_fine")
    if m := re.search(r"\bseduta\s+(?:n\.?|numero)\s*(\d+)\s*/\s*(\d{2,4})\b", piatto, re.I):
        c["seduta"] = f"{m[1]}/{m[2]}"
        ded.add("seduta")
    inizio_testo = " ".join(" ".join(r.split()) for r in righe[:40])
    tele = re.search(r"telematic|videoconferenz|da remoto|in collegamento", inizio_testo, re.I)
    pres = re.search(r"\bin presenza\b|\bpresso (la|il|l')\s*(sala|sede|palazzo|municipio|aula)", inizio_testo, re.I)
    if tele or pres:
        c["modalita"] = "mista" if tele and pres else "telematica" if tele else "presenza"
        ded.add("modalita")
    if pres and (
        m := re.search(
            r"\bpresso\s+((?:la|il|l')\s*(?:sala|sede|palazzo|municipio|aula)[^,.;]{0,80})", inizio_testo, re.I
        )
    ):
        c["luogo"] = m[1].strip()
        ded.add("luogo")
    conv = re.search(
        r"\bprot(?:ocollo)?\.?\s*(?:n\.?\s*)?(\d[\w/.-]*\w)\s+del\s+(\d{1,2})/(\d{1,2})/(\d{4})", inizio_testo, re.I
    )
    if conv:
        c["convocazione"] = {"protocollo": conv[1], "data": f"{conv[4]}-{int(conv[3]):02d}-{int(conv[2]):02d}"}
        if f := re.search(
            r"\ba firma del(?:la|l')?\s+([^.;]{3,80})", inizio_testo[conv.end() : conv.end() + 120], re.I
        ):
            c["convocazione"]["firmatario"] = f[1].strip()
        ded.add("convocazione")
    tab = tabella_presenze(righe)
    if tab:
        _, _, presenti, assenti = tab
        if presenti:
            c["presenti"], _ = presenti, ded.add("presenti")
        if assenti:
            c["assenti"], _ = assenti, ded.add("assenti")
    odg, dopo_odg = _ordine_del_giorno(righe)
    if odg:
        c["ordine_del_giorno"] = _esiti_e_voti(odg, righe, dopo_odg)
        ded.add("ordine_del_giorno")
    letto.corpo = _corpo(righe, tab)
    letto.personali = dati_personali(letto.corpo)
    return letto


def _organo(testa: str, organi: dict) -> str | None:
    """The organo whose name (or the longest start of it, 2+ words) the heading contains; None if tied."""
    t = " " + _norm(testa) + " "
    punteggi = {}
    for oid, o in organi.items():
        parole = _norm(o.get("nome", "")).split()
        for n in range(len(parole), 1, -1):
            if f" {' '.join(parole[:n])} " in t and len([w for w in parole[:n] if len(w) > 3]) >= 2:
                punteggi[oid] = n
                break
    if not punteggi:
        return None
    migliore = max(punteggi.values())
    scelti = [o for o, n in punteggi.items() if n == migliore]
    return scelti[0] if len(scelti) == 1 else None


_PUNTO = re.compile(r"^\s*(?:[•▪●◦\-–*]|\d{1,2}[.)]|[a-z][.)])\s+(.*)$")


def _ordine_del_giorno(righe: list[str]) -> tuple[list[str], int]:
    """The points listed after 'Ordine del giorno', each joined over its lines."""
    for i, r in enumerate(righe):  # noqa: B007 - i is the heading's line, used below
        if re.match(r"^\s*ordine del giorno\b", r, re.I) or re.match(r"^\s*o\.?d\.?g\.?\s*:", r, re.I):
            break
    else:
        return [], 0
    punti: list[str] = []
    j = i + 1
    vuote = 0
    while j < len(righe):
        r = righe[j]
        if not r.strip():
            vuote += 1
            if vuote > 1 and punti:
                break
            j += 1
            continue
        m = _PUNTO.match(r)
        if m:
            punti.append(m[1].strip())
        elif punti and vuote == 0 and not re.search(r"[.;:]\s*$", punti[-1]):
            punti[-1] += " " + r.strip()
        elif punti:
            break
        vuote = 0
        j += 1
    punti = [" ".join(p.split()).rstrip(";.,").strip() for p in punti]
    return [p for p in punti if p], j


def _esiti_e_voti(punti: list[str], righe: list[str], da: int) -> list:
    """Each point with the esito and votes found in its part of the text (between its heading and the next)."""
    inizi = []
    k = da
    for p in punti:
        chiave = _parole(p)
        trovato = None
        for j in range(k, len(righe)):
            r = righe[j].strip()
            parole = _parole(r)
            if 2 <= len(parole) and len(r) < 150 and not r.endswith((".", ";", ",")):
                if len(parole & chiave) / len(parole) >= 0.6:
                    trovato = j
                    break
        inizi.append(trovato)
        if trovato is not None:
            k = trovato + 1
    out = []
    for n, p in enumerate(punti):
        if inizi[n] is None:
            out.append(p)
            continue
        dopo = [x for x in inizi[n + 1 :] if x is not None]
        parte = righe[inizi[n] + 1 : dopo[0] if dopo else len(righe)]
        punto: dict = {"oggetto": p}
        testo = _ABBREVIAZIONI.sub(lambda m: m[0].rstrip() + "\u00a0", " ".join(" ".join(r.split()) for r in parte))
        frasi = [f for f in re.split(r"(?<=[.;:]) +", testo) if _ESITO.search(f)]  # not at "dr.\u00a0"
        if len(frasi) == 1 and len(_ESITO.findall(frasi[0])) == 1:
            punto["esito"] = (
                re.split(r",\s*che\b|\s[–-]\s", frasi[0])[0].strip().rstrip(".").replace("\u00a0", " ")[:200]
            )
        voti = _votazioni(parte)
        if len(voti) == 1:
            punto["votazione"] = voti[0]
        elif voti:
            punto["votazioni"] = voti
        out.append(punto if len(punto) > 1 else p)
    return out


def _votazioni(parte: list[str]) -> list[dict]:
    """Groups of 'favorevoli/contrari/astenuti N' lines close to each other, each one vote."""
    voti: list[dict] = []
    ultima = -10
    precedente = ""
    for j, r in enumerate(parte):
        trovati = _VOTO.findall(r)
        if not trovati:
            if r.strip():
                precedente = r.strip()
            continue
        if j - ultima > 2 or any(k.lower() in voti[-1] for k, _ in trovati if k.lower() != "votanti"):
            voti.append({})
            titolo = precedente.split("=")[0].strip() if "=" in precedente else ""
            if titolo and len(titolo) < 60:
                voti[-1]["oggetto"] = titolo.capitalize()
        for k, n in trovati:
            voti[-1].setdefault(k.lower(), int(n))
        ultima = j
    return [v for v in voti if any(k in v for k in ("favorevoli", "contrari", "astenuti"))]


def _escape(s: str) -> str:
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"^(\s*)([#*+=|`~-]|\d+[.)])", r"\1\\\2", s)


def _corpo(righe: list[str], tab) -> list[str]:
    """The text as Markdown: one line per line, the presenti/assenti table as a table."""
    out: list[str] = []
    j = 0
    while j < len(righe):
        if tab and j == tab[0]:
            out += ["", "| Nominativo | Ruolo | Presente | Assente |", "|---|---|---|---|"]
            for p in tab[2]:
                out.append(f"| {_cella(p['nome'])} | {_cella(p.get('ruolo', ''))} | X |  |")
            for p in tab[3]:
                out.append(f"| {_cella(p['nome'])} | {_cella(p.get('ruolo', ''))} |  | X |")
            out.append("")
            j = tab[1] + 1
            continue
        r = " ".join(righe[j].split())
        if r or (out and out[-1]):
            out.append(_escape(r))
        j += 1
    while out and not out[-1]:
        out.pop()
    return out


def _cella(s: str) -> str:
    return _escape(s).replace("|", "\\|")


def dati_personali(corpo: list[str]) -> dict[int, str]:
    """Index -> reason for the lines that look like personal data; a CV section is flagged whole,
    from its first to its last CV-looking line when they follow each other closely."""
    out: dict[int, str] = {}
    for i, r in enumerate(corpo):
        for regola, motivo in PERSONALI:
            if regola.search(r):
                out[i] = motivo
                break
    cv = sorted(i for i, m in out.items() if m.startswith("curriculum"))
    blocchi: list[list[int]] = []
    for i in cv:
        if blocchi and i - blocchi[-1][-1] <= 25:
            blocchi[-1].append(i)
        else:
            blocchi.append([i])
    for b in blocchi:
        if len(b) >= 3:
            for i in range(b[0], b[-1] + 1):
                out.setdefault(i, "curriculum (studi, lavoro, anno e luogo di nascita)")
    return out


# -- the draft -------------------------------------------------------------

_ORDINE = [
    "organo",
    "data",
    "ora_inizio",
    "ora_fine",
    "seduta",
    "modalita",
    "luogo",
    "convocazione",
    "presenti",
    "assenti",
    "ordine_del_giorno",
]
_RICHIESTI = {"organo", "data", "ora_inizio", "seduta", "modalita", "presenti", "ordine_del_giorno"}


def intervalli(indici) -> list[tuple[int, int]]:
    """Consecutive numbers merged: [3, 4, 5, 9] -> [(3, 5), (9, 9)]."""
    out: list[list[int]] = []
    for i in sorted(indici):
        if out and i == out[-1][1] + 1:
            out[-1][1] = i
        else:
            out.append([i, i])
    return [(a, b) for a, b in out]


def _yaml(chiave: str, valore) -> list[str]:
    import yaml

    testo = yaml.safe_dump({chiave: valore}, allow_unicode=True, sort_keys=False, default_flow_style=False, width=100)
    righe = testo.rstrip("\n").split("\n")
    if chiave in ("data",) or (chiave == "convocazione"):
        righe = [re.sub(r"'(\d{4}-\d{2}-\d{2})'$", r"\1", r) for r in righe]
    return righe


def bozza(
    letto: Letto, origine: str, oggi: str, riservato: bool = False
) -> tuple[str, str, list[tuple[int, int, str]]]:
    """(front matter page, body, personal-data ranges as (first line, last line, reason) of the page
    that holds the body). With riservato the body is for the reserved folder and the page has none."""
    fm = ["---"]
    for chiave in _ORDINE:
        if chiave in letto.campi:
            righe = _yaml(chiave, letto.campi[chiave])
            if chiave in letto.dedotti:
                righe[0] += "  # da verificare"
            fm += righe
        elif chiave in _RICHIESTI:
            fm.append(f"{chiave}:  # non trovato nel PDF: da compilare")
    if riservato:
        fm.append("visibilita: riservato")
    else:
        fm.append("visibilita:  # da scegliere: pubblico, estratto (con nota_estratto) o riservato")
    fm += _yaml("fonte", f"PDF {origine}") + ["bozza: true", "---", ""]
    corpo = "\n".join(letto.corpo).rstrip("\n") + "\n"
    gruppi: list[tuple[int, int, str]] = []
    for motivo in dict.fromkeys(letto.personali.values()):
        for a, b in intervalli(i for i, m in letto.personali.items() if m == motivo):
            gruppi.append((a, b, motivo))
    gruppi.sort()
    intestazione = [
        f"# BOZZA importata da {origine} con atlante importa-verbale il {oggi}: non viene pubblicata",
        "# finché c'è 'bozza: true'. Controlla sul PDF ogni valore 'da verificare', completa i campi",
        "# 'da compilare', scegli la visibilità, poi togli 'bozza: true' e lancia atlante validate.",
    ]
    if gruppi:
        dove = "nel testo riservato" if riservato else "in questo file"
        intestazione.append(f"# POSSIBILI DATI PERSONALI {dove}, da omettere prima di pubblicare:")
    # every line of the page before the body is known once the number of flag lines is known
    inizio_corpo = 1 + len(intestazione) + len(gruppi) + len(fm) if not riservato else 1
    segnalati = [(a + inizio_corpo, b + inizio_corpo, m) for a, b, m in gruppi]
    for a, b, m in segnalati:
        intestazione.append(f"#   {'riga ' + str(a) if a == b else f'righe {a}-{b}'}: {m}")
    pagina = "\n".join(["---", *intestazione, *fm[1:]])
    if not riservato:
        pagina += "\n" + corpo
    return pagina, corpo, segnalati
