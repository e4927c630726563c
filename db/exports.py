"""Files people take out of Circle: CSV that is safe to open in a spreadsheet, and PDFs
in a Unicode font (names with accents and dashes print as typed)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path

from fpdf import FPDF

FONT_DIR = Path(__file__).resolve().parent.parent / "assets" / "fonts"
# A spreadsheet treats a cell starting with any of these as a formula (or as the start of one).
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """Text for one CSV cell that a spreadsheet will show, never evaluate."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_PREFIXES):
        return "'" + text
    return text


def to_csv(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(h) for h in headers])
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    # A byte-order mark so spreadsheet programs read the file as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


class Document(FPDF):
    """An A4 document with Circle's plain house style and a Unicode font."""

    def __init__(self, title: str) -> None:
        super().__init__(format="A4")
        self.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.set_title(title)
        self.set_auto_page_break(auto=True, margin=15)
        self.set_margins(18, 18, 18)
        self.add_page()
        self.set_font("DejaVu", "B", 17)
        self.multi_cell(0, 9, title, new_x="LMARGIN", new_y="NEXT", align="L")
        self.ln(2)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("DejaVu", "", 8)
        self.set_text_color(110, 110, 110)
        self.cell(0, 6, f"Circle · page {self.page_no()} · special category data: keep it safe", align="C")
        self.set_text_color(0, 0, 0)

    def heading(self, text: str) -> None:
        self.ln(3)
        self.set_font("DejaVu", "B", 12.5)
        self.multi_cell(0, 7, text, new_x="LMARGIN", new_y="NEXT", align="L")
        self.set_font("DejaVu", "", 10.5)

    def para(self, text: str, *, bold: bool = False) -> None:
        self.set_font("DejaVu", "B" if bold else "", 10.5)
        self.multi_cell(0, 5.6, text, new_x="LMARGIN", new_y="NEXT", align="L")

    def bytes(self) -> bytes:
        return bytes(self.output())
