"""Each verbale rule, broken once, with its exact message and position (front matter offset included)."""

from __future__ import annotations

import textwrap

import pytest

from atlante.validazione.controlli import validate

BASE = """\
---
organo: collegio-dei-sindaci
data: 2024-10-18
ora_inizio: "14:00"
ora_fine: "15:15"
seduta: "1/24"
modalita: presenza
luogo: Sala consiliare
convocazione:
  protocollo: "85679/24"
  data: 2024-10-08
presenti:
  - {nome: Anna Bianchi, ruolo: Sindaca}
  - {nome: Carlo Verdi, ruolo: Sindaco}
  - {nome: Dora Neri, ruolo: Sindaca}
assenti:
  - {nome: Ugo Blu, ruolo: Sindaco}
ordine_del_giorno:
  - oggetto: Elezione del Presidente
    esito: eletta Anna Bianchi
    votazione: {favorevoli: 2, contrari: 0, astenuti: 1, votanti: 3}
  - oggetto: Varie ed eventuali
visibilita: pubblico
---

Testo del verbale.
"""


@pytest.fixture
def verbale(progetto_vuoto):
    """verbale(text, name) writes content/verbali/<name>.md and returns the problems as text lines."""

    def _write(text: str, nome: str = "v.md", allegati: dict | None = None) -> list[str]:
        d = progetto_vuoto.content_dir / "verbali"
        d.mkdir(parents=True, exist_ok=True)
        (d / nome).write_text(textwrap.dedent(text), encoding="utf-8")
        for rel, data in (allegati or {}).items():
            (d / rel).parent.mkdir(parents=True, exist_ok=True)
            (d / rel).write_bytes(data)
        return [p.text() for p in validate(progetto_vuoto) if p.path.startswith("content/")]

    return _write


def test_valid_verbale_has_no_problems(verbale):
    assert verbale(BASE) == []


def test_unquoted_times_are_read_as_times(verbale):
    # YAML 1.1 reads 14:00 as the base-60 integer 840: it must still be 14:00.
    assert verbale(BASE.replace('"14:00"', "14:00").replace('"15:15"', "15:15")) == []


@pytest.mark.parametrize(
    "old,new,expected",
    [
        (
            "organo: collegio-dei-sindaci",
            "organo: collegio-sindaci",
            "content/verbali/v.md:2:9: organo: organo sconosciuto 'collegio-sindaci' (forse intendevi 'collegio-dei-sindaci'?)",
        ),
        (
            "data: 2024-10-18",
            "data: 2024-02-30",
            "content/verbali/v.md:3:7: data: data non valida: '2024-02-30' (scrivi la data come AAAA-MM-GG, es. 2024-10-18)",
        ),
        (
            'ora_inizio: "14:00"',
            'ora_inizio: "25:00"',
            'content/verbali/v.md:4:13: ora_inizio: ora non valida: \'25:00\' (scrivi l\'ora come "HH:MM", es. "14:00")',
        ),
        (
            'ora_fine: "15:15"',
            'ora_fine: "13:30"',
            "content/verbali/v.md:5:11: ora_fine: l'ora di fine (13:30) non è dopo l'ora di inizio (14:00)",
        ),
        (
            'seduta: "1/24"',
            "seduta: prima",
            "content/verbali/v.md:6:9: seduta: numero di seduta non valido: 'prima' (scrivi numero/anno, es. \"1/24\")",
        ),
        (
            "modalita: presenza",
            "modalita: online",
            "content/verbali/v.md:7:11: modalita: modalità non ammessa: 'online' (valori ammessi: presenza, telematica, mista)",
        ),
        (
            "luogo: Sala consiliare\n",
            "",
            "content/verbali/v.md:2:1: (file): campo obbligatorio mancante: 'luogo' (la seduta non è solo telematica) "
            "(indica dove si è tenuta la seduta, oppure scrivi 'modalita: telematica')",
        ),
        (
            "  data: 2024-10-08",
            "  data: 2024-10-19",
            "content/verbali/v.md:11:9: convocazione.data: la convocazione (2024-10-19) è successiva alla seduta (2024-10-18)",
        ),
        (
            '  protocollo: "85679/24"\n',
            "",
            "content/verbali/v.md:10:3: convocazione: campo obbligatorio mancante: 'protocollo'",
        ),
        (
            "presenti:\n  - {nome: Anna Bianchi, ruolo: Sindaca}\n  - {nome: Carlo Verdi, ruolo: Sindaco}\n"
            "  - {nome: Dora Neri, ruolo: Sindaca}\n",
            "",
            "content/verbali/v.md:2:1: (file): campo obbligatorio mancante: 'presenti' (elenca nome e ruolo di ogni presente)",
        ),
        (
            "  - {nome: Ugo Blu, ruolo: Sindaco}",
            "  - {ruolo: Sindaco}",
            "content/verbali/v.md:17:5: assenti[1]: ogni persona ha 'nome' e 'ruolo' (es. - {nome: Mario Rossi, ruolo: Sindaco di Crema})",
        ),
        (
            "votanti: 3}",
            "votanti: 4}",
            "content/verbali/v.md:21:16: ordine_del_giorno[1].votazione: favorevoli + contrari + astenuti = 3, ma i votanti sono 4",
        ),
        (
            "{favorevoli: 2, contrari: 0, astenuti: 1, votanti: 3}",
            "{favorevoli: 3, contrari: 1, astenuti: 0}",
            "content/verbali/v.md:21:16: ordine_del_giorno[1].votazione: 4 voti, ma i presenti sono 3 "
            "(controlla i numeri o l'elenco dei presenti)",
        ),
        (
            "contrari: 0,",
            "contrari: -1,",
            "content/verbali/v.md:21:42: ordine_del_giorno[1].votazione.contrari: deve essere un numero intero maggiore o uguale a zero",
        ),
        (
            "visibilita: pubblico",
            "visibilita: segreto",
            "content/verbali/v.md:23:13: visibilita: visibilità non ammessa: 'segreto' (valori ammessi: pubblico, estratto, riservato)",
        ),
        (
            "visibilita: pubblico",
            "visibilta: pubblico",
            "content/verbali/v.md:23:1: visibilta: campo sconosciuto 'visibilta' (forse intendevi 'visibilita'?)",
        ),
    ],
)
def test_each_rule_fails_with_its_message(verbale, old, new, expected):
    assert old in BASE
    assert expected in verbale(BASE.replace(old, new))


def test_missing_front_matter(verbale):
    assert verbale("# Solo testo\n") == [
        "content/verbali/v.md:1:1: (file): manca l'intestazione YAML tra due righe '---' all'inizio del file "
        "(copia l'intestazione da un file esistente della stessa cartella)"
    ]


def test_yaml_error_line_is_counted_from_the_file_start(verbale):
    out = verbale(BASE.replace('seduta: "1/24"', 'seduta: "1/24'))
    assert out and out[0].startswith("content/verbali/v.md:")
    assert int(out[0].split(":")[1]) >= 6


def test_reserved_verbale_with_body_is_refused(verbale):
    text = BASE.replace("visibilita: pubblico", "visibilita: riservato")
    assert verbale(text) == [
        "content/verbali/v.md:26:1: (file): un verbale riservato non può avere testo nel repository pubblico "
        "(lascia solo l'intestazione; il testo va nella cartella dei riservati (ATLANTE_RISERVATI_DIR))"
    ]
    assert verbale(text.replace("\nTesto del verbale.\n", "\n")) == []


def test_allegati_must_exist_in_the_verbale_folder(verbale):
    text = BASE.replace(
        "visibilita: pubblico",
        "allegati:\n  - {titolo: Slide, file: allegati/slide.pdf}\n"
        "  - {titolo: Fuori, file: ../segreto.pdf}\nvisibilita: pubblico",
    )
    assert verbale(text) == [
        "content/verbali/v.md:24:27: allegati[1].file: allegato inesistente: 'allegati/slide.pdf' "
        "(metti il file in verbali/allegati/slide.pdf accanto al verbale)",
        "content/verbali/v.md:25:27: allegati[2].file: l'allegato deve stare nella cartella del verbale: '../segreto.pdf'",
    ]
    assert (
        verbale(
            text.replace("  - {titolo: Fuori, file: ../segreto.pdf}\n", ""),
            allegati={"allegati/slide.pdf": b"%PDF-1.4\n"},
        )
        == []
    )


def test_shipped_verbali_and_news_are_valid():
    from aiuti import ROOT
    from atlante.lettura.progetto import Progetto

    assert [p.text() for p in validate(Progetto(ROOT)) if p.path.startswith("content/")] == []


def test_validate_command_on_one_verbale(progetto_vuoto, capsys):
    from atlante.cli.principale import main

    d = progetto_vuoto.content_dir / "verbali"
    d.mkdir(parents=True, exist_ok=True)
    bad = d / "rotto.md"
    bad.write_text(BASE.replace("modalita: presenza", "modalita: online"), encoding="utf-8")
    assert main(["--root", str(progetto_vuoto.root), "validate", str(bad)]) == 1
    assert capsys.readouterr().out.splitlines()[0] == (
        "content/verbali/rotto.md:7:11: modalita: modalità non ammessa: 'online' "
        "(valori ammessi: presenza, telematica, mista)"
    )


NEWS = """\
---
data: 2025-01-15
titolo: Una notizia
categoria: avvisi
sommario: In breve.
---

Il testo.
"""


@pytest.mark.parametrize(
    "old,new,expected",
    [
        (None, None, None),
        (
            "data: 2025-01-15",
            "data: 15/01/2025",
            "content/news/n.md:2:7: data: data non valida: '15/01/2025' (scrivi la data come AAAA-MM-GG, es. 2024-10-18)",
        ),
        (
            "categoria: avvisi",
            "categoria: varie",
            "content/news/n.md:4:12: categoria: categoria sconosciuta 'varie' (categorie ammesse: piano-di-zona, "
            "governance, mappatura, sito, avvisi, eventi)",
        ),
        ("sommario: In breve.\n", "", "content/news/n.md:2:1: (file): campo obbligatorio mancante: 'sommario'"),
        (
            "titolo: Una notizia",
            "titolo: Un",
            "content/news/n.md:3:9: titolo: il titolo deve avere tra 3 e 200 caratteri",
        ),
        ("\nIl testo.\n", "\n", "content/news/n.md:7:1: (file): la notizia non ha testo dopo l'intestazione"),
    ],
)
def test_news_rules(progetto_vuoto, old, new, expected):
    d = progetto_vuoto.content_dir / "news"
    d.mkdir(parents=True, exist_ok=True)
    (d / "n.md").write_text(NEWS if old is None else NEWS.replace(old, new), encoding="utf-8")
    out = [p.text() for p in validate(progetto_vuoto) if p.path.startswith("content/")]
    assert out == ([] if expected is None else [expected])


def test_reserved_verbale_lists_allegati_by_title_only(verbale):
    text = BASE.replace("visibilita: pubblico", "allegati:\n  - {titolo: Relazione}\nvisibilita: riservato").replace(
        "\nTesto del verbale.\n", "\n"
    )
    assert verbale(text) == []
    con_file = text.replace("{titolo: Relazione}", "{titolo: Relazione, file: relazione.pdf}")
    assert verbale(con_file) == [
        "content/verbali/v.md:24:31: allegati[1].file: l'allegato di un verbale riservato non va nel repository "
        "pubblico (lascia solo il titolo; il file resta all'Ufficio di Piano)"
    ]


def test_a_draft_only_warns(progetto_vuoto):
    d = progetto_vuoto.content_dir / "verbali"
    d.mkdir(parents=True, exist_ok=True)
    (d / "b.md").write_text(BASE.replace("modalita: presenza", "modalita: online\nbozza: true"), encoding="utf-8")
    problemi = [p for p in validate(progetto_vuoto) if p.path.startswith("content/")]
    assert [(p.livello, p.messaggio) for p in problemi] == [("avviso", "(bozza) modalità non ammessa: 'online'")]


def test_empty_required_fields_from_a_template_say_what_is_missing(verbale):
    text = BASE.replace("modalita: presenza", "modalita:").replace("organo: collegio-dei-sindaci", "organo:")
    assert verbale(text) == [
        "content/verbali/v.md:2:1: (file): campo obbligatorio mancante: 'modalita' "
        "(valori ammessi: presenza, telematica, mista)",
        "content/verbali/v.md:2:1: (file): campo obbligatorio mancante: 'organo'",
    ]


def test_organi_reference_data_is_checked(progetto_vuoto):
    from atlante.lettura.progetto import Progetto
    from atlante.validazione.controlli import check_reference_data

    assert check_reference_data(progetto_vuoto) == []
    organi = progetto_vuoto.data_dir / "organi.yml"
    organi.write_text(
        organi.read_text(encoding="utf-8").replace("fonte: AdP PdZ 2015-2017 (002:1022)", "nota: senza fonte"),
        encoding="utf-8",
    )
    assert [p.messaggio for p in check_reference_data(Progetto(progetto_vuoto.root))] == [
        "organo 'cabina-di-regia': ogni seduta ha 'data' (AAAA-MM-GG) e 'fonte'"
    ]
