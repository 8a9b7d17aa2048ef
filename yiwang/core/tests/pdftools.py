"""Read PDFs back with poppler-utils (pdftotext, pdffonts), as a person's
viewer would: CI installs them (.ci/run); a missing tool fails, never skips."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path


def _tool(name: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} not found: apt-get install poppler-utils"
    return path


def _run(tool: str, pdf: bytes, *args: str) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "doc.pdf"
        src.write_bytes(pdf)
        done = subprocess.run(
            [_tool(tool), *args, str(src), *(["-"] if tool == "pdftotext" else [])],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
    return done.stdout


def pdf_text(pdf: bytes) -> str:
    return _run("pdftotext", pdf)


def pdf_fonts(pdf: bytes) -> list[dict[str, str]]:
    """pdffonts rows: name, type, emb (yes/no)."""
    lines = _run("pdffonts", pdf).splitlines()[2:]
    rows = []
    for line in lines:
        parts = line.split()
        if len(parts) < 7:
            continue
        # name type... encoding emb sub uni object-id gen: count from the right
        rows.append({"name": parts[0], "emb": parts[-5], "type": " ".join(parts[1:-6])})
    return rows
