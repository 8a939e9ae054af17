"""The page "La rete in numeri" (numeri.md): the indicators as charts, each with its table."""

from __future__ import annotations

from markupsafe import Markup

from atlante.modello.sito import Contesto, Pagina
from atlante.pagine import indicatori as ind
from atlante.pagine.grafici import Voce, barre, coropleta
from atlante.pagine.modelli import numero, rendi


def tabella(id: str, didascalia: str, intestazioni: list[str], righe: list[list], totale=None) -> Markup:
    return Markup(
        rendi(
            "tabella-conteggi.html.j2",
            id=id,
            didascalia=didascalia,
            intestazioni=intestazioni,
            righe=righe,
            totale=totale,
        )
    )


def _perc(v) -> str:
    return "–" if v is None else f"{numero(v, 1)}%"


def _barre_conteggi(id_: str, titolo: str, righe) -> Markup:
    """A bar chart of (etichetta, n) rows, with its text alternative listing every bar."""
    return barre(
        id_,
        titolo,
        "Grafico a barre: " + "; ".join(f"{r.etichetta} {r.n}" for r in righe) + ".",
        [Voce(r.etichetta, r.n, numero(r.n)) for r in righe],
    )


def _sezione_conteggi(titolo: str, testo: str, chiave: str, didascalia: str, colonne: list[str], righe) -> dict:
    """A section of (etichetta, n) rows: their bar chart and their table with the total."""
    return {
        "titolo": titolo,
        "testo": testo,
        "grafico": _barre_conteggi(f"grafico-{chiave}", didascalia, righe),
        "tabella": tabella(
            f"tabella-{chiave}",
            didascalia,
            colonne,
            [[r.etichetta, numero(r.n)] for r in righe],
            ["Totale", numero(sum(r.n for r in righe))],
        ),
    }


def sezioni(ctx: Contesto) -> list[dict]:
    out = []
    tipi = ind.per_tipo(ctx)
    out.append(
        _sezione_conteggi(
            "Schede per tipo",
            (
                "Quante schede pubblica l'Atlante per ciascun tipo. Sono *soggetti censiti* gli enti del Terzo "
                "Settore, le biblioteche e le Unità di Offerta non cessate; i Patti di Comunità sono accordi tra "
                "soggetti e sono contati a parte."
            ),
            "tipi",
            "Schede per tipo",
            ["Tipo", "Schede"],
            tipi,
        )
    )

    fonti = ind.per_fonte(ctx)
    out.append(
        {
            "titolo": "Schede per fonte",
            "testo": (
                "Da dove vengono le schede dell'Atlante: ogni scheda nomina la sua fonte, e una scheda che ne "
                "cita due (per esempio un registro pubblico e il Piano di Zona) è contata per entrambe."
            ),
            "grafico": None,
            "tabella": tabella(
                "tabella-fonti",
                "Schede per fonte",
                ["Fonte", "Licenza", "Schede"],
                [[r.etichetta, r.extra.get("licenza", ""), numero(r.n)] for r in fonti],
            ),
        }
    )

    subs = ind.per_sub_ambito(ctx)
    out.append(
        {
            "titolo": "Soggetti per sub-ambito",
            "testo": ("Soggetti censiti nei comuni di ciascun sub-ambito, anche in rapporto ai residenti (ANPR)."),
            "grafico": _barre_conteggi("grafico-sub-ambiti", "Soggetti censiti per sub-ambito", subs),
            "tabella": tabella(
                "tabella-sub-ambiti",
                "Soggetti censiti per sub-ambito",
                ["Sub-ambito", "Soggetti", "Residenti", "Ogni 1.000 residenti"],
                [
                    [r.etichetta, numero(r.n), numero(r.extra["residenti"]), numero(r.extra["per_mille"], 2)]
                    for r in subs
                ],
            ),
        }
    )

    comuni = ind.per_comune(ctx)
    sub_nome = {s.id: s.nome for s in ctx.territorio.sub_ambiti.values()}
    con = [r for r in comuni if r.n]
    out.append(
        {
            "titolo": "Soggetti per comune",
            "testo": (
                f"Soggetti censiti in ciascuno dei {len(comuni)} comuni dell'Ambito, ogni 1.000 residenti. "
                "Nella mappa i comuni più scuri hanno più soggetti in rapporto agli abitanti."
            ),
            "grafico": coropleta(
                "grafico-comuni",
                "Soggetti censiti ogni 1.000 residenti, per comune",
                f"Mappa dei comuni colorati per soggetti ogni 1.000 residenti. {len(con)} comuni su "
                f"{len(comuni)} hanno almeno un soggetto"
                + (": " + "; ".join(f"{r.etichetta} {numero(r.extra['per_mille'], 2)}" for r in con) if con else "")
                + ". I valori di tutti i comuni sono nella tabella che segue.",
                ctx.territorio.confini_geojson,
                {r.chiave: r.extra["per_mille"] for r in comuni},
                {r.chiave: r.etichetta for r in comuni},
            ),
            "tabella": tabella(
                "tabella-comuni",
                "Soggetti censiti per comune",
                ["Comune", "Sub-ambito", "Soggetti", "Residenti", "Ogni 1.000 residenti"],
                [
                    [
                        r.etichetta,
                        sub_nome.get(ctx.territorio.comuni[r.chiave].sub_ambito, "–"),
                        numero(r.n),
                        numero(r.extra["residenti"]),
                        numero(r.extra["per_mille"], 2),
                    ]
                    for r in comuni
                ],
            ),
        }
    )

    runts = ind.ets_runts(ctx)
    out.append(
        _sezione_conteggi(
            "Enti del Terzo Settore e RUNTS",
            (
                "Enti del Terzo Settore per sezione del Registro Unico Nazionale del Terzo Settore (RUNTS), "
                "e quanti non sono iscritti o non hanno indicato l'iscrizione."
            ),
            "runts",
            "Enti del Terzo Settore per sezione RUNTS",
            ["Sezione", "Enti"],
            runts,
        )
    )

    udo = ind.udo_per_area(ctx)
    out.append(
        {
            "titolo": "Unità di Offerta per rete e area",
            "testo": (
                "Unità di Offerta attive o sospese (le cessate non sono contate) per rete e area, dalla tipologia, "
                "con i posti dichiarati nelle schede."
            ),
            "grafico": barre(
                "grafico-udo",
                "Unità di Offerta per rete e area",
                "Grafico a barre: "
                + "; ".join(f"{r.etichetta}: {r.n} unità, {r.extra['posti']} posti" for r in udo)
                + "."
                if udo
                else "Nessuna Unità di Offerta.",
                [Voce(r.etichetta, r.n, f"{numero(r.n)} ({numero(r.extra['posti'])} posti)") for r in udo],
            )
            if udo
            else None,
            "tabella": tabella(
                "tabella-udo",
                "Unità di Offerta e posti per rete e area",
                ["Rete", "Area", "Unità di Offerta", "Posti", "Senza posti indicati"],
                [
                    [
                        r.extra["rete"],
                        r.extra["area"],
                        numero(r.n),
                        numero(r.extra["posti"]),
                        numero(r.extra["senza_posti"]),
                    ]
                    for r in udo
                ],
                [
                    "Totale",
                    "",
                    numero(sum(r.n for r in udo)),
                    numero(sum(r.extra["posti"] for r in udo)),
                    numero(sum(r.extra["senza_posti"] for r in udo)),
                ],
            ),
        }
    )

    bib, pat = ind.biblioteche(ctx), ind.patti(ctx)
    out.append(
        {
            "titolo": "Biblioteche e punti prestito",
            "testo": "",
            "grafico": None,
            "tabella": tabella(
                "tabella-biblioteche",
                "Biblioteche e punti prestito",
                ["Tipo", "Schede"],
                [[r.etichetta, numero(r.n)] for r in bib],
            ),
        }
    )
    out.append(
        {
            "titolo": "Patti di Comunità",
            "testo": "",
            "grafico": None,
            "tabella": tabella(
                "tabella-patti",
                "Patti di Comunità per stato",
                ["Stato", "Patti"],
                [[r.etichetta, numero(r.n)] for r in pat],
            ),
        }
    )

    verb = ind.verbali(ctx)
    out.append(
        {
            "titolo": "Sedute e verbali pubblicati",
            "testo": (
                "Il Piano di Zona misura la percentuale di verbali presenti sul sito sulle sedute tenute. "
                f"Sedute registrate: {numero(verb['sedute'])}; verbali pubblicati sul sito: "
                f"{numero(verb['totale'])} ({_perc(verb['quota_sito'])}), di cui {numero(verb['pubblici'])} "
                f"con il testo integrale pubblico ({_perc(verb['quota_pubblica'])}). Degli altri è pubblico "
                "un estratto oppure solo i dati della seduta (riservato)."
            ),
            "grafico": None,
            "tabella": tabella(
                "tabella-verbali",
                "Sedute e verbali pubblicati per organo e anno",
                [
                    "Organo",
                    "Anno",
                    "Sedute",
                    "Verbali sul sito",
                    "% verbali sul sito",
                    "Pubblici / estratti / riservati",
                ],
                [
                    [
                        r.etichetta,
                        str(r.extra["anno"] or "–"),
                        numero(r.extra["sedute"]),
                        numero(r.n),
                        _perc(r.extra["quota_sito"]),
                        " / ".join(numero(r.extra[k]) for k in ("pubblico", "estratto", "riservato")),
                    ]
                    for r in verb["righe"]
                ],
                [
                    "Totale",
                    "",
                    numero(verb["sedute"]),
                    numero(verb["totale"]),
                    _perc(verb["quota_sito"]),
                    f"{numero(verb['pubblici'])} pubblici",
                ],
            ),
        }
    )

    agg = ind.aggiornamenti(ctx)
    righe = agg["righe"]
    if agg["fonte"] == "git":
        testo = (
            "Aggiornamenti della mappatura per anno, dalla storia delle modifiche dei dati: "
            "modifiche registrate e schede diverse toccate."
        )
        intest = ["Anno", "Modifiche", "Schede modificate"]
        dati = [[r.etichetta, numero(r.n), numero(r.extra["schede"])] for r in righe]
    else:
        testo = (
            "La storia delle modifiche non è disponibile in questa copia del sito: per ogni anno "
            "si conta quante schede sono state verificate l'ultima volta in quell'anno."
        )
        intest = ["Anno", "Schede verificate"]
        dati = [[r.etichetta, numero(r.n)] for r in righe]
    out.append(
        {
            "titolo": "Aggiornamenti della mappatura per anno",
            "testo": testo,
            "grafico": _barre_conteggi("grafico-aggiornamenti", "Aggiornamenti della mappatura per anno", righe)
            if righe
            else None,
            "tabella": tabella("tabella-aggiornamenti", "Aggiornamenti della mappatura per anno", intest, dati),
        }
    )
    return out


def pagina_numeri(ctx: Contesto):
    fr = ind.freschezza(ctx)
    yield Pagina(
        "numeri.md",
        rendi(
            "numeri.md.j2",
            sezioni=sezioni(ctx),
            freschezza=fr,
            quota=_perc(fr["quota"]),
            oggi=ctx.oggi,
            soggetti=len(ind.soggetti(ctx)),
            schede=len(ind.pubblicati(ctx)),
            mappatura=ctx.territorio.ambito.get("mappatura"),
        ),
    )
