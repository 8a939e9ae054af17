"""Checks of a verbale against DOMAIN §3 (organo, dates and times, convocazione, attendance,
agenda and votes, allegati, visibilità), reported as `path:line:col: campo: messaggio`."""

from __future__ import annotations

import datetime as dt
import difflib
from pathlib import Path, PurePosixPath

from atlante.base.problems import Problem
from atlante.lettura.frontmatter import Controllo, PaginaFM, ora, scelto
from atlante.lettura.progetto import Progetto
from atlante.lettura.verbali import (
    CAMPI,
    CAMPI_PUNTO,
    CAMPI_VOTO,
    MODALITA,
    NUMERI_VOTO,
    SEDUTA_RE,
    VISIBILITA,
    file_verbali,
    leggi_verbale,
)
from atlante.validazione.testo import controlla_testi


def controlla_verbale(progetto: Progetto, pagina: PaginaFM) -> list[Problem]:
    c = Controllo(pagina)
    d = pagina.data
    if not d:
        return c.problems
    c.sconosciuti(d, (), CAMPI)
    organo = c.richiesto(d, (), "organo")
    if organo is not None and organo not in progetto.organi:
        close = difflib.get_close_matches(organo, list(progetto.organi), n=1)
        c.add(
            ("organo",),
            f"organo sconosciuto '{organo}'",
            f"forse intendevi '{close[0]}'?" if close else "gli organi sono elencati in data/organi.yml",
        )
    data = c.data_reale(d, (), "data")
    inizio = _ora(c, d, "ora_inizio")
    fine = _ora(c, d, "ora_fine", richiesta=False)
    if inizio and fine and fine <= inizio:
        c.add(("ora_fine",), f"l'ora di fine ({fine}) non è dopo l'ora di inizio ({inizio})")
    seduta = c.richiesto(d, (), "seduta", tipo=None)
    if seduta is not None and not SEDUTA_RE.match(str(seduta)):
        c.add(("seduta",), f"numero di seduta non valido: '{seduta}'", 'scrivi numero/anno, es. "1/24"')
    modalita = c.richiesto(d, (), "modalita")
    if modalita is not None and modalita not in MODALITA:
        c.add(("modalita",), f"modalità non ammessa: '{modalita}'", "valori ammessi: " + ", ".join(MODALITA))
    if modalita != "telematica" and not d.get("luogo"):
        c.add(
            (),
            "campo obbligatorio mancante: 'luogo' (la seduta non è solo telematica)",
            "indica dove si è tenuta la seduta, oppure scrivi 'modalita: telematica'",
        )
    _convocazione(c, d, data)
    presenti = _persone(c, d, "presenti", richiesto=True)
    _persone(c, d, "assenti", richiesto=False)
    _persone(c, d, "partecipanti", richiesto=False)
    _ordine_del_giorno(c, d, presenti)
    _allegati(c, d, pagina.path.parent)
    vis = d.get("visibilita")
    if vis is None:
        c.add((), "campo obbligatorio mancante: 'visibilita'", "valori ammessi: " + ", ".join(VISIBILITA))
    elif vis not in VISIBILITA:
        c.add(("visibilita",), f"visibilità non ammessa: '{vis}'", "valori ammessi: " + ", ".join(VISIBILITA))
    elif vis == "riservato" and pagina.corpo.strip():
        c.add(
            (),
            "un verbale riservato non può avere testo nel repository pubblico",
            "lascia solo l'intestazione; il testo va nella cartella dei riservati (ATLANTE_RISERVATI_DIR)",
            riga=pagina.riga_corpo + _prima_riga_piena(pagina.corpo),
        )
    controlla_testi(c, pagina)
    for key in ("titolo", "luogo", "nota_estratto", "accesso", "fonte", "note"):
        if key in d and not isinstance(d[key], str):
            c.add((key,), "deve essere un testo")
    return c.problems


def _prima_riga_piena(testo: str) -> int:
    for i, line in enumerate(testo.splitlines()):
        if line.strip():
            return i
    return 0


def _ora(c: Controllo, d: dict, key: str, richiesta=True) -> str | None:
    if key not in d:
        if richiesta:
            c.add((), f"campo obbligatorio mancante: '{key}'")
        return None
    value = ora(d[key])
    if value is None:
        c.add((key,), f"ora non valida: '{d[key]}'", 'scrivi l\'ora come "HH:MM", es. "14:00"')
    return value


def _convocazione(c: Controllo, d: dict, data: dt.date | None) -> None:
    conv = d.get("convocazione")
    if conv is None:
        return  # not every body convenes with a protocol number
    if not isinstance(conv, dict):
        c.add(("convocazione",), "deve contenere 'protocollo' e 'data'")
        return
    c.sconosciuti(conv, ("convocazione",), {"protocollo", "data", "firmatario"})
    if conv.get("protocollo") in (None, ""):
        c.add(("convocazione",), "campo obbligatorio mancante: 'protocollo'")
    quando = c.data_reale(conv, ("convocazione",), "data")
    if quando and data and quando > data:
        c.add(
            ("convocazione", "data"),
            f"la convocazione ({quando.isoformat()}) è successiva alla seduta ({data.isoformat()})",
        )


def _persone(c: Controllo, d: dict, key: str, richiesto: bool) -> int:
    value = d.get(key)
    if value is None:
        if richiesto:
            c.add((), f"campo obbligatorio mancante: '{key}'", "elenca nome e ruolo di ogni presente")
        return 0
    if not isinstance(value, list):
        c.add((key,), "deve essere un elenco (righe che iniziano con '-')")
        return 0
    for i, p in enumerate(value):
        if not isinstance(p, dict) or not isinstance(p.get("nome"), str) or not p["nome"].strip():
            c.add((key, i), "ogni persona ha 'nome' e 'ruolo'", "es. - {nome: Mario Rossi, ruolo: Sindaco di Crema}")
            continue
        c.sconosciuti(p, (key, i), {"nome", "ruolo", "note"})
    return len(value)


def _ordine_del_giorno(c: Controllo, d: dict, presenti: int) -> None:
    odg = d.get("ordine_del_giorno")
    if odg is None:
        c.add((), "campo obbligatorio mancante: 'ordine_del_giorno'")
        return
    if not isinstance(odg, list) or not odg:
        c.add(("ordine_del_giorno",), "deve essere un elenco non vuoto di punti")
        return
    for i, punto in enumerate(odg):
        kp = ("ordine_del_giorno", i)
        if isinstance(punto, str):
            continue  # a bare subject is allowed
        if not isinstance(punto, dict) or not isinstance(punto.get("oggetto"), str):
            c.add(kp, "ogni punto ha un 'oggetto' (testo)")
            continue
        c.sconosciuti(punto, kp, CAMPI_PUNTO)
        voti = []
        if punto.get("votazione") is not None:
            voti.append((kp + ("votazione",), punto["votazione"]))
        if punto.get("votazioni") is not None:
            if not isinstance(punto["votazioni"], list):
                c.add(kp + ("votazioni",), "deve essere un elenco di votazioni")
            else:
                voti += [(kp + ("votazioni", j), x) for j, x in enumerate(punto["votazioni"])]
        for vkp, voto in voti:
            _votazione(c, vkp, voto, presenti)


def _votazione(c: Controllo, kp: tuple, voto, presenti: int) -> None:
    """favorevoli + contrari + astenuti = votanti (when given), and never more than the presenti."""
    if not isinstance(voto, dict):
        c.add(kp, "deve contenere favorevoli, contrari, astenuti")
        return
    c.sconosciuti(voto, kp, CAMPI_VOTO)
    numeri = {}
    for k in NUMERI_VOTO:
        v = voto.get(k)
        if v is None:
            continue
        if isinstance(v, bool) or not isinstance(v, int) or v < 0:
            c.add(kp + (k,), "deve essere un numero intero maggiore o uguale a zero")
        else:
            numeri[k] = v
    somma = sum(numeri.get(k, 0) for k in ("favorevoli", "contrari", "astenuti"))
    votanti = numeri.get("votanti")
    if votanti is not None and somma != votanti:
        c.add(kp, f"favorevoli + contrari + astenuti = {somma}, ma i votanti sono {votanti}")
    elif presenti and max(somma, votanti or 0) > presenti:
        c.add(
            kp,
            f"{max(somma, votanti or 0)} voti, ma i presenti sono {presenti}",
            "controlla i numeri o l'elenco dei presenti",
        )


def _allegati(c: Controllo, d: dict, cartella: Path) -> None:
    allegati = d.get("allegati")
    if allegati is None:
        return
    if not isinstance(allegati, list):
        c.add(("allegati",), "deve essere un elenco di {titolo, file}")
        return
    for i, a in enumerate(allegati):
        kp = ("allegati", i)
        if not isinstance(a, dict) or not isinstance(a.get("file"), str):
            c.add(kp, "ogni allegato ha 'titolo' e 'file'")
            continue
        c.sconosciuti(a, kp, {"titolo", "file"})
        rel = PurePosixPath(a["file"])
        if rel.is_absolute() or ".." in rel.parts:
            c.add(kp + ("file",), f"l'allegato deve stare nella cartella del verbale: '{a['file']}'")
        elif not (cartella / rel).is_file():
            c.add(
                kp + ("file",),
                f"allegato inesistente: '{a['file']}'",
                f"metti il file in {cartella.name}/{rel} accanto al verbale",
            )


def valida_verbali(progetto: Progetto, wanted) -> list[Problem]:
    out = []
    for f in file_verbali(progetto):
        if not scelto(f, wanted):
            continue
        out.extend(controlla_verbale(progetto, leggi_verbale(progetto, f)))
    return out
