"""The certificate of attendance as a PDF (fpdf2, its core fonts: nothing is fetched or embedded)."""

from __future__ import annotations

import hashlib
import secrets

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed from paper


def new_code() -> str:
    """A verification code like 'K7QH-2M9T-XW4P': 60 bits, unguessable."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return "-".join(raw[i:i + 4] for i in range(0, 12, 4))


def _latin(text: str) -> str:
    """The core fonts speak Latin-1: other characters become '?' rather than failing."""
    return text.encode("latin-1", "replace").decode("latin-1")


def render_certificate(*, title: str, participant: str, topic: str, dates: str, institution: str, code: str,
                       verify_url: str, lines: dict[str, str]) -> tuple[str, bytes]:
    """(file name, PDF bytes); `lines` holds the fixed words in the participant's language."""
    from fpdf import FPDF  # imported when first needed, not by every worker (docs/PERFORMANCE.md, memory)

    pdf = FPDF(orientation="landscape", format="A4")
    pdf.set_creator("Etalase UMKM")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 26)
    pdf.cell(0, 30, _latin(title), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 14)
    pdf.cell(0, 10, _latin(lines["given_to"]), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "B", 22)
    pdf.cell(0, 16, _latin(participant), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 14)
    pdf.multi_cell(0, 9, _latin(f"{lines['for_attending']}\n{topic}\n{dates}\n{institution}"), align="C",
                   new_x="LMARGIN", new_y="NEXT")
    pdf.ln(10)
    pdf.set_font("Helvetica", "", 11)
    pdf.multi_cell(0, 7, _latin(f"{lines['code']}: {code}\n{lines['check_at']}: {verify_url}"), align="C")
    data = bytes(pdf.output())
    return f"{hashlib.sha256(data).hexdigest()[:32]}.pdf", data
