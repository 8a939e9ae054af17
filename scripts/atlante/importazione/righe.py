"""One spreadsheet row -> the data of one record, in the field order of the kind's schema."""

from __future__ import annotations

import datetime as dt

from atlante.importazione import pulizia as P
from atlante.importazione.colonne import Colonne, Mappatura
from atlante.lettura.progetto import Progetto, Tipo

# Field order inside the nested mappings, as the shipped records write them.
_ORDINE_INTERNO = {
    "contatti": ["telefono", "email", "pec", "sito_web", "social"],
    "runts": ["iscritto", "sezione", "numero_repertorio"],
    "posizione": ["lat", "lon"],
    "periodo": ["inizio", "fine"],
    "finanziamento": ["importo", "fonte"],
}
_ELENCHI = {"attivita", "destinatari", "obiettivi", "aderenti"}
_DATE = {"verificato_il", "periodo.inizio", "periodo.fine"}


class Convertitore:
    def __init__(
        self, progetto: Progetto, tipo: Tipo, colonne: Colonne, mappatura: Mappatura | None, fonte: str, oggi: dt.date
    ):
        self.terr = progetto.territorio
        self.tipo = tipo
        self.colonne = colonne
        self.mappatura = mappatura
        self.fonte = fonte
        self.oggi = oggi
        self.tax = P.Tassonomie(progetto)
        self.ordine = list(progetto.schemas[tipo.schema].get("properties", {}))

    def converti(self, valori: list) -> tuple[dict, list[str], set[str]]:
        """(data, errors as 'campo: motivo', fields that came from the row rather than defaults)."""
        dati: dict = {}
        errori: list[str] = []
        dalla_riga: set[str] = set()
        coppie = [(fld, val) for fld, val in (self.mappatura.valori.items() if self.mappatura else [])]
        coppie += [(fld, valori[i]) for i, _h, fld in self.colonne.usate]
        for fld, raw in coppie:
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                continue  # an empty cell never erases what a record already says
            try:
                self._metti(dati, fld, raw)
            except P.ValoreNonValido as e:
                errori.append(f"{fld}: {e}")
                continue
            dalla_riga.add(fld)
        tel = dati.get("contatti", {}).get("telefono")
        if isinstance(tel, list):
            tel = list(dict.fromkeys(tel))  # the same number in "Telefono" and "Cellulare"
            dati["contatti"]["telefono"] = tel[0] if len(tel) == 1 else tel
        dati.setdefault("verificato_il", self.oggi)
        dati.setdefault("fonte", self.fonte)
        return self._ordina(dati), errori, dalla_riga

    def _metti(self, dati: dict, fld: str, raw) -> None:
        if "." in fld:
            parent, leaf = fld.split(".", 1)
            if fld == "runts.sezione":
                sez = self.tax.sezione_runts(raw)
                dati.setdefault("runts", {})["iscritto"] = sez is not None
                if sez:
                    dati["runts"]["sezione"] = sez
                return
            dati.setdefault(parent, {})
            if fld == "contatti.telefono":
                dati[parent].setdefault("telefono", []).extend(P.telefoni(raw))
                return
            dati[parent][leaf] = self._valore(fld, raw)
            if fld == "runts.numero_repertorio":
                dati["runts"].setdefault("iscritto", True)
            return
        dati[fld] = self._valore(fld, raw)

    def _valore(self, fld: str, raw):
        if fld == "comune":
            return self._comune(raw)
        if fld == "comuni":
            return list(dict.fromkeys(self._comune(c) for c in P.elenco(raw)))
        if fld in _DATE:
            return dt.date.fromisoformat(P.data(raw))
        if fld in _ELENCHI:
            return P.elenco(raw)
        if fld == "cap":
            return P.cap(raw)
        if fld in ("contatti.email", "contatti.pec"):
            return P.email(raw)
        if fld == "contatti.sito_web":
            return P.sito_web(raw)
        if fld == "codice_fiscale":
            return P.codice_fiscale(raw)
        if fld == "runts.numero_repertorio":
            return P.testo(raw)
        if fld == "posti":
            return P.intero(raw)
        if fld in ("accreditata", "a_contratto"):
            return P.booleano(raw)
        if fld in ("posizione.lat", "posizione.lon", "finanziamento.importo"):
            return P.decimale(raw)
        if fld == "tipologia":
            return P.da_tassonomia(raw, self.tax.udo, "tipologia di Unità di Offerta")
        if fld == "tipo":
            return P.da_tassonomia(raw, self.tax.tipo_biblioteca, "tipologia di biblioteca")
        if fld == "forma_giuridica":
            return P.da_tassonomia(raw, self.tax.forme, "forma giuridica")
        if fld == "servizi":
            return list(dict.fromkeys(P.da_tassonomia(s, self.tax.servizi, "voce di servizio") for s in P.elenco(raw)))
        if fld == "temi":
            return list(dict.fromkeys(P.da_tassonomia(s, self.tax.temi, "voce di tema") for s in P.elenco(raw)))
        if fld == "stato":
            return P.normalizza_parole(P.testo(raw)).replace(" ", "_")
        return P.testo(raw)

    def _comune(self, raw) -> str:
        nome = P.testo(raw)
        c = self.terr.trova(nome)
        if c is None:
            near = self.terr.suggerisci(nome)
            hint = f"forse intendevi '{near}'?" if near else "scrivi il nome ufficiale del comune"
            raise P.ValoreNonValido(f"comune sconosciuto '{nome}': non è tra i comuni dell'Ambito ({hint})")
        return c.nome

    def _ordina(self, dati: dict) -> dict:
        pos = {k: i for i, k in enumerate(self.ordine)}
        out = {k: dati[k] for k in sorted(dati, key=lambda k: pos.get(k, len(pos)))}
        for k, order in _ORDINE_INTERNO.items():
            if isinstance(out.get(k), dict):
                sub = out[k]
                out[k] = {kk: sub[kk] for kk in sorted(sub, key=lambda x: order.index(x) if x in order else 99)}
        return out
