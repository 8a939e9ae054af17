"""Test helper: the real verbale of 18/10/2024 (seed 001, read at run time from ../shared, never
copied here) laid out as such acts look: a header and page numbers on every page, the
presenti/assenti table as a table, the slides (with the candidates' CVs) after the text.

The PDF is written with fpdf2 (a test dependency) into a temporary folder; nothing is shipped.
"""

from __future__ import annotations

import re
from pathlib import Path

from fpdf import FPDF

SEED = Path(__file__).resolve().parents[1].parent / "shared" / "seeds" / "001_a896a4d776f3d529.txt"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
FONT_B = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
_LATIN1 = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "•": "-", "€": "E"})


def righe_seed() -> list[str]:
    return SEED.read_text(encoding="utf-8").splitlines()


def _trova(righe: list[str], testo: str, da: int = 0) -> int:
    return next(i for i in range(da, len(righe)) if righe[i].strip() == testo)


class _Atto(FPDF):
    def header(self):
        self.set_font(self.famiglia, size=8)
        self.cell(0, 6, "ATS Val Padana - Collegio dei Sindaci - Verbale", align="R", new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def footer(self):
        self.set_y(-12)
        self.set_font(self.famiglia, size=8)
        self.cell(0, 6, f"Pagina {self.page_no()} di {{nb}}", align="C")


def componenti(righe: list[str]) -> list[tuple[str, str, bool]]:
    """(nome, ruolo, presente) of the table rows: a marker 'X' in the first column is presente;
    the OCR kept the second column only as a leading space (notes in shared/realdata)."""
    inizio = _trova(righe, "Nominativo Ruolo Presente Assente") + 1
    fine = _trova(righe, "Partecipano inoltre alla riunione:", inizio)
    out, blocco = [], []
    for r in righe[inizio:fine]:
        if re.fullmatch(r"\s*X\s*", r):
            out.append((blocco[0].strip(), " ".join(x.strip() for x in blocco[1:]), not r.startswith(" ")))
            blocco = []
        elif r.strip():
            blocco.append(r)
    return out


def scrivi_pdf(dest: Path) -> dict:
    """Write the PDF; return where things are (seed line ranges of the text and of the slides)."""
    righe = righe_seed()
    unicode_ok = FONT.is_file() and FONT_B.is_file()
    pdf = _Atto(format="A4")
    if unicode_ok:
        pdf.add_font("DejaVu", fname=str(FONT))
        pdf.add_font("DejaVu", style="B", fname=str(FONT_B))
        pdf.famiglia = "DejaVu"
    else:  # pragma: no cover - Debian ships DejaVu; keep the test meaningful without it
        pdf.famiglia = "Helvetica"
    testo = (
        (lambda s: s) if unicode_ok else (lambda s: s.translate(_LATIN1).encode("latin-1", "replace").decode("latin-1"))
    )
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_page()
    pdf.set_font(pdf.famiglia, size=10)
    tabella = _trova(righe, "Nominativo Ruolo Presente Assente")
    dopo_tabella = _trova(righe, "Partecipano inoltre alla riunione:")
    firma = _trova(righe, "https://www.ats-valpadana.it/collegio-dei-sindaci")

    def paragrafi(da: int, a: int):
        for r in righe[da:a]:
            if r.strip():
                pdf.multi_cell(0, 5, testo(r.strip()), new_x="LMARGIN", new_y="NEXT")
            else:
                pdf.ln(2)

    paragrafi(0, tabella)
    with pdf.table(col_widths=(45, 85, 20, 20), text_align=("LEFT", "LEFT", "CENTER", "CENTER"), v_align="TOP") as t:
        riga = t.row()
        for titolo in ("Nominativo", "Ruolo", "Presente", "Assente"):
            riga.cell(titolo)
        for nome, ruolo, presente in componenti(righe):
            riga = t.row()
            for valore in (nome, ruolo, "X" if presente else "", "" if presente else "X"):
                riga.cell(testo(valore))
    pdf.ln(4)
    paragrafi(dopo_tabella, firma)
    pdf.add_page()
    paragrafi(firma + 1, len(righe))
    pdf.output(str(dest))
    return {"testo": (0, firma), "slide": (firma + 1, len(righe))}
