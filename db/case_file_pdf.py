"""A case-file entry as a PDF to file on the child's record, in the same house style and
DejaVu fonts as the session record (names with accents print as typed). Audited."""

from __future__ import annotations

from db import case_file
from db.access import Actor
from db.exports import Document


def pdf(actor: Actor, session_id: int, case_id: int) -> bytes:
    e = case_file.entry(actor, session_id, case_id, audit_view=False)
    doc = Document(case_file.title(e))
    for heading, lines in case_file.sections(e):
        if heading:
            doc.heading(heading)
        for line in lines:
            doc.para(line)
    case_file._audit_export(actor, e, "pdf")
    return doc.bytes()
