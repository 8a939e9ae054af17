"""`atlante importa-verbale`: the real verbale of 18/10/2024 rendered into a PDF (from seed 001,
read at run time) becomes a draft with the same facts as the shipped verbale, its CV passages
flagged; a scan gets the OCR message and nothing is written; a signed .p7m envelope is opened."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

import pytest

from aiuti import ROOT
from atlante.cli.principale import main
from atlante.lettura.frontmatter import leggi
from verbale_pdf import SEED, righe_seed, scrivi_pdf


def _n(s) -> str:
    s = unicodedata.normalize("NFKC", str(s)).replace("’", "'").replace("\\", "")
    return " ".join(s.split()).casefold()


def _draft(progetto, pdf, *extra, nome="bozza"):
    rc = main(["--root", str(progetto.root), "importa-verbale", str(pdf), "--file", nome, *extra])
    return rc, progetto.content_dir / "verbali" / f"{nome}.md"


def _segnalate(testo: str) -> set[int]:
    righe = set()
    for a, b in re.findall(r"^#\s+righ[ae] (\d+)(?:-(\d+))?:", testo, re.M):
        righe.update(range(int(a), int(b or a) + 1))
    return righe


@pytest.fixture(scope="module")
def pdf_reale(tmp_path_factory):
    assert SEED.is_file(), f"the seed is read at run time from {SEED}"
    pdf = tmp_path_factory.mktemp("pdf") / "verbale-2024-10-18.pdf"
    scrivi_pdf(pdf)
    return pdf


def test_pdf_looks_like_the_act(pdf_reale):
    from pypdf import PdfReader

    pagine = [p.extract_text() for p in PdfReader(pdf_reale).pages]
    assert len(pagine) > 3
    for i, testo in enumerate(pagine, 1):  # a header and a page number on every page
        assert "Collegio dei Sindaci - Verbale" in testo
        assert f"Pagina {i} di {len(pagine)}" in testo


def test_real_verbale_gives_the_shipped_facts(progetto_vuoto, pdf_reale, capsys):
    rc, bozza = _draft(progetto_vuoto, pdf_reale)
    assert rc == 0, capsys.readouterr().err
    testo = bozza.read_text(encoding="utf-8")
    got = leggi(bozza, "b", "verbali/b.md").data
    spedito = leggi(ROOT / "content/verbali/2024-10-18-collegio-dei-sindaci.md", "s", "s").data
    assert got["bozza"] is True
    for campo in ("organo", "data", "ora_inizio", "ora_fine", "seduta", "modalita"):
        assert str(got[campo]) == str(spedito[campo]), campo
        assert re.search(rf"^{campo}: .*# da verificare$", testo, re.M), campo
    assert got["convocazione"]["protocollo"] == spedito["convocazione"]["protocollo"]
    assert got["convocazione"]["data"] == str(spedito["convocazione"]["data"])
    for gruppo in ("presenti", "assenti"):
        assert {_n(p["nome"]) for p in got[gruppo]} == {_n(p["nome"]) for p in spedito[gruppo]}, gruppo
    odg, odg_spedito = got["ordine_del_giorno"], spedito["ordine_del_giorno"]
    assert len(odg) == len(odg_spedito)

    def voti(punto):
        if isinstance(punto, str):
            return []
        elenco = [punto["votazione"]] if "votazione" in punto else punto.get("votazioni", [])
        return [(v.get("favorevoli"), v.get("contrari"), v.get("astenuti")) for v in elenco]

    for mio, loro in zip(odg, odg_spedito, strict=True):
        assert _n(mio if isinstance(mio, str) else mio["oggetto"]) == _n(loro["oggetto"])
        assert voti(mio) == voti(loro)
    assert voti(odg[0]) == [(3, 0, 1), (3, 0, 1)]  # the shipped verbale has two votes here: not vacuous
    # The draft is not valid for publishing yet (visibilità to choose) but only warns: it is a draft.
    assert main(["--root", str(progetto_vuoto.root), "validate", str(bozza)]) == 0
    assert "(bozza) campo obbligatorio mancante: 'visibilita'" in capsys.readouterr().out


def test_cv_passages_are_flagged_as_personal_data(progetto_vuoto, pdf_reale):
    rc, bozza = _draft(progetto_vuoto, pdf_reale)
    assert rc == 0
    testo = bozza.read_text(encoding="utf-8")
    righe = testo.splitlines()
    segnalate = _segnalate(testo)
    seed = righe_seed()
    inizio = next(i for i, r in enumerate(seed) if r.strip() == "Curricula pervenuti")
    fine = next(i for i in range(inizio + 1, len(seed)) if seed[i].startswith("Programmazione territoriale"))
    cv = [_n(r) for r in seed[inizio:fine] if r.strip()]
    assert len(cv) > 20
    # each CV line, found in the draft in order (a short line may also occur elsewhere)
    normali = [_n(r) for r in righe]
    posti, k = [], 0
    for r in cv:
        if r in normali[k:]:
            k = normali.index(r, k)
            posti.append(k + 1)
    assert len(posti) > 20  # the CV table reached the draft (as the PDF showed it)
    assert [n for n in posti if n not in segnalate] == []
    # and the ordinary text of the verbale is not flagged
    apertura = next(n for n, r in enumerate(righe, 1) if r.startswith("VERBALE DEL COLLEGIO"))
    assert apertura not in segnalate
    assert len(segnalate) < len(righe) // 4


def test_scan_without_text_needs_ocr(progetto_vuoto, tmp_path, capsys):
    from fpdf import FPDF
    from PIL import Image

    img = tmp_path / "pagina.png"
    Image.new("L", (400, 560), 255).save(img)
    pdf = FPDF()
    pdf.add_page()
    pdf.image(str(img), x=10, y=10, w=190)
    scansione = tmp_path / "scansione.pdf"
    pdf.output(str(scansione))
    prima = sorted((progetto_vuoto.content_dir).rglob("*"))
    rc, bozza = _draft(progetto_vuoto, scansione)
    err = capsys.readouterr().err
    assert rc == 1
    assert "scansione" in err and "OCR" in err and "Non è stato scritto nessun file" in err
    assert not bozza.exists() and sorted(progetto_vuoto.content_dir.rglob("*")) == prima


def _busta_firmata(contenuto: bytes) -> bytes:
    """A CAdES-like envelope: CMS SignedData with the document inside (not detached)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import pkcs7
    from cryptography.x509.oid import NameOID

    chiave = ec.generate_private_key(ec.SECP256R1())
    nome = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Firma di prova")])
    adesso = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(nome)
        .issuer_name(nome)
        .public_key(chiave.public_key())
        .serial_number(1)
        .not_valid_before(adesso)
        .not_valid_after(adesso + dt.timedelta(days=1))
        .sign(chiave, hashes.SHA256())
    )
    return (
        pkcs7.PKCS7SignatureBuilder()
        .set_data(contenuto)
        .add_signer(cert, chiave, hashes.SHA256())
        .sign(serialization.Encoding.DER, [pkcs7.PKCS7Options.Binary])
    )


def test_signed_p7m_envelope_is_opened(progetto_vuoto, pdf_reale, tmp_path, capsys):
    busta = tmp_path / "verbale.pdf.p7m"
    busta.write_bytes(_busta_firmata(pdf_reale.read_bytes()))
    assert busta.read_bytes()[:5] != b"%PDF-"
    rc, bozza = _draft(progetto_vuoto, busta)
    assert rc == 0, capsys.readouterr().err
    got = leggi(bozza, "b", "b").data
    assert (got["organo"], got["data"], got["seduta"]) == ("collegio-dei-sindaci", "2024-10-18", "1/24")
    # the same envelope in base64 (as some signing tools save it) opens too; a broken one says so
    b64 = tmp_path / "b64.pdf.p7m"
    import base64

    b64.write_bytes(base64.encodebytes(busta.read_bytes()))
    assert _draft(progetto_vuoto, b64, nome="bozza-b64")[0] == 0
    rotta = tmp_path / "rotta.pdf.p7m"
    rotta.write_bytes(busta.read_bytes()[:200])
    capsys.readouterr()
    rc, path = _draft(progetto_vuoto, rotta, nome="rotta")
    assert rc == 1 and "busta firmata" in capsys.readouterr().err and not path.exists()


def test_reserved_import_keeps_the_text_out_of_the_repository(progetto_vuoto, pdf_reale, tmp_path, capsys):
    fuori = tmp_path / "riservati"
    rc, bozza = _draft(progetto_vuoto, pdf_reale, "--riservato", "--riservati", str(fuori))
    assert rc == 0, capsys.readouterr().err
    pagina = bozza.read_text(encoding="utf-8")
    assert leggi(bozza, "b", "b").corpo.strip() == ""
    assert leggi(bozza, "b", "b").data["visibilita"] == "riservato"
    testo = (fuori / "bozza.md").read_text(encoding="utf-8")
    assert "VERBALE DEL COLLEGIO" in testo and "VERBALE DEL COLLEGIO" not in pagina
    # the flagged lines point into the reserved text
    segnalate = _segnalate(pagina)
    assert segnalate and max(segnalate) <= len(testo.splitlines())
    # inside the project the reserved folder is refused, and nothing is written
    rc, altro = _draft(
        progetto_vuoto, pdf_reale, "--riservato", "--riservati", str(progetto_vuoto.root / "x"), nome="b2"
    )
    assert rc == 2 and "fuori dal progetto" in capsys.readouterr().err and not altro.exists()


def test_never_overwrites(progetto_vuoto, pdf_reale, capsys):
    assert _draft(progetto_vuoto, pdf_reale)[0] == 0
    prima = (progetto_vuoto.content_dir / "verbali" / "bozza.md").read_bytes()
    rc, bozza = _draft(progetto_vuoto, pdf_reale)
    assert rc == 1 and "non lo sovrascrivo" in capsys.readouterr().err
    assert bozza.read_bytes() == prima
