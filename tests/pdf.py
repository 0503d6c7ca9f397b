"""What a rendered PDF says, read back with poppler (pdftotext, pdfinfo)."""

import re
import subprocess


def pdf_text(content: bytes, tmp_path, *, name="document.pdf") -> str:
    """The PDF's text as one line: no-break spaces and line ends become plain spaces."""
    assert content.startswith(b"%PDF-"), content[:40]
    path = tmp_path / name
    path.write_bytes(content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout
    return re.sub(r"\s+", " ", text.decode().replace("\xa0", " ").replace("\u202f", " "))


def pdf_pages(content: bytes, tmp_path) -> int:
    """How many pages the PDF has."""
    path = tmp_path / "pages.pdf"
    path.write_bytes(content)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))
