"""Checks of data/sinonimi.yml and data/glossario.yml: every problem at once, with its line."""

from __future__ import annotations

from atlante.base.problems import Problem
from atlante.lettura.lessico import GLOSSARIO, PREFISSI, SINONIMI, leggi_lessico
from atlante.lettura.progetto import TIPI, Progetto
from atlante.lettura.yamlfile import YamlDoc, campo

_NOMI = {
    "tipo": "un tipo di scheda",
    "tipologia": "una tipologia di Unità di Offerta",
    "tema": "un tema",
    "servizio": "un servizio delle biblioteche",
    "forma": "una forma giuridica",
}


def _problema(doc: YamlDoc, display: str, kp: tuple, msg: str, hint: str | None = None) -> Problem:
    line, col = doc.where(kp)
    return Problem(display, line, col, campo(kp), msg, hint)


def _stringhe(valore) -> bool:
    return isinstance(valore, list) and bool(valore) and all(isinstance(x, str) and x.strip() for x in valore)


def valida_lessico(progetto: Progetto) -> list[Problem]:
    lessico = leggi_lessico(progetto.data_dir)
    out: list[Problem] = []
    ds, dg = lessico.doc_sinonimi, lessico.doc_glossario
    if ds is not None:
        disp = f"data/{SINONIMI}"
        out.extend(ds.problems)
        voci = ds.data.get("sinonimi") if isinstance(ds.data, dict) else None
        if ds.data is not None and not isinstance(voci, list):
            esempio = "sinonimi: [{parole: [...], termini: [...]}]"
            out.append(_problema(ds, disp, (), "manca l'elenco 'sinonimi'", esempio))
        for i, v in enumerate(voci if isinstance(voci, list) else []):
            kp = ("sinonimi", i)
            if not isinstance(v, dict):
                out.append(_problema(ds, disp, kp, "ogni voce deve avere 'parole' e 'termini'"))
                continue
            for k in sorted(set(v) - {"parole", "termini"}):
                out.append(_problema(ds, disp, kp + (k,), f"campo sconosciuto '{k}'", "ammessi: parole, termini"))
            for k in ("parole", "termini"):
                if not _stringhe(v.get(k)):
                    out.append(_problema(ds, disp, kp + (k,), f"'{k}' deve essere un elenco di testi non vuoti"))
            for j, t in enumerate(v.get("termini") if isinstance(v.get("termini"), list) else []):
                if not isinstance(t, str):
                    continue
                pref, _, ident = t.partition(":")
                if pref not in PREFISSI:
                    out.append(
                        _problema(
                            ds,
                            disp,
                            kp + ("termini", j),
                            f"termine '{t}' non riconosciuto",
                            "scrivi tipo:ID, tipologia:ID, tema:ID, servizio:ID o forma:ID",
                        )
                    )
                    continue
                noti = set(TIPI) if PREFISSI[pref] is None else set(progetto.tassonomia(PREFISSI[pref]))
                if ident not in noti:
                    out.append(
                        _problema(
                            ds,
                            disp,
                            kp + ("termini", j),
                            f"'{ident}' non è {_NOMI[pref]} dell'atlante",
                            "ammessi: " + ", ".join(sorted(noti)),
                        )
                    )
    if dg is not None:
        disp = f"data/{GLOSSARIO}"
        out.extend(dg.problems)
        voci = dg.data.get("termini") if isinstance(dg.data, dict) else None
        for k in sorted(set(dg.data) - {"fonte", "termini"}) if isinstance(dg.data, dict) else []:
            out.append(_problema(dg, disp, (k,), f"campo sconosciuto '{k}'", "ammessi: fonte, termini"))
        if dg.data is not None and not isinstance(voci, list):
            out.append(_problema(dg, disp, (), "manca l'elenco 'termini'"))
        visti: dict[str, int] = {}
        for i, v in enumerate(voci if isinstance(voci, list) else []):
            kp = ("termini", i)
            if not isinstance(v, dict):
                out.append(_problema(dg, disp, kp, "ogni voce deve avere 'termine' e 'spiegazione'"))
                continue
            for k in sorted(set(v) - {"termine", "nome", "spiegazione", "fonte"}):
                ammessi = "ammessi: termine, nome, spiegazione, fonte"
                out.append(_problema(dg, disp, kp + (k,), f"campo sconosciuto '{k}'", ammessi))
            for k in ("termine", "spiegazione"):
                if not (isinstance(v.get(k), str) and v[k].strip()):
                    out.append(_problema(dg, disp, kp + (k,), f"manca '{k}'"))
            if "nome" in v and not (isinstance(v["nome"], str) and v["nome"].strip()):
                out.append(_problema(dg, disp, kp + ("nome",), "'nome' deve essere un testo"))
            t = v.get("termine")
            if isinstance(t, str):
                if t.casefold() in visti:
                    msg = f"termine ripetuto: '{t}' compare già alla voce {visti[t.casefold()]}"
                    out.append(_problema(dg, disp, kp + ("termine",), msg))
                visti.setdefault(t.casefold(), i + 1)
    return out
