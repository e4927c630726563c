"""A note written for a young person or family, as a PDF to print, give or send.

It holds the practitioner's own words and nothing Circle adds about the case: no case
reference, no heading or footer of Circle's, no other name. Only who wrote it and the day,
so the family knows who it is from. Large, plain type in DejaVu Sans (names with accents
print as typed), like the other PDFs (`db.exports`).
"""

from __future__ import annotations

from fpdf import FPDF

from db import clock
from db.access import Actor
from db.exports import FONT_DIR
from db.young_voice import note


def note_pdf(actor: Actor, note_id: int) -> bytes:
    found = note(actor, note_id, exporting=True)
    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_title(f"A note from {found.written_by}")
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.set_margins(22, 24, 22)
    pdf.add_page()
    pdf.set_font("DejaVu", "", 14)
    pdf.multi_cell(0, 8, found.body, new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.ln(8)
    pdf.set_font("DejaVu", "B", 13)
    pdf.multi_cell(0, 7, found.written_by, new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.set_font("DejaVu", "", 12)
    pdf.multi_cell(0, 7, clock.when(found.created_at, "%d %B %Y"), new_x="LMARGIN", new_y="NEXT", align="L")
    return bytes(pdf.output())
