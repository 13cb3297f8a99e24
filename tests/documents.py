"""Opening the app's Word files as a reader's office suite does: LibreOffice, headless."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest


def libreoffice_pdf(path: Path, tmp_path: Path, timeout: int = 180) -> bytes:
    """Print a Word file to PDF with LibreOffice and return the PDF; fail (never skip) when
    LibreOffice is missing, since `make test` installs it (.ci/ensure-tools)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.fail("LibreOffice (soffice) is not installed: the Word file was not opened by it")
    out = tmp_path / "out"
    result = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path}/lo-profile",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    pdf = out / (path.stem + ".pdf")
    assert result.returncode == 0 and pdf.exists(), result.stderr
    return pdf.read_bytes()


def pdf_text(data: bytes) -> str:
    """The text of a PDF, page after page, as pypdf reads it (no poppler needed)."""
    import io

    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
