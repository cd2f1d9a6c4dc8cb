"""Running tesseract: is it there, a page as an image, and the word boxes tesseract reads in an image.

Tesseract runs as a subprocess on a PNG of the (cleaned) page or of a crop of it, one thread each:
the documents are parsed in a process pool already.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path

import numpy as np
import pypdfium2
from PIL import Image

from pipelines.basics.text import normalise

DPI = 300
POINTS_PER_PIXEL = 72 / DPI
_BRACKETS = str.maketrans("〈〉《》", "()()")  # how tesseract reads the full-width parentheses of names
_TIMEOUT = 120
_OSD_SCALE = 0.5  # orientation is as clear at 150 dpi, and found faster
_OSD_CONFIDENCE = 2.0  # tesseract's orientation confidence below which a turn is not trusted


def render_page(data: bytes, index: int) -> tuple[np.ndarray, float, float]:
    """Page `index` (0-based) as a greyscale image at DPI, and its size in points as shown."""
    document = pypdfium2.PdfDocument(data)
    try:
        page = document[index]
        width, height = page.get_size()
        if page.get_rotation() in (90, 270):
            width, height = height, width
        bitmap = page.render(scale=DPI / 72, grayscale=True)
        image = np.asarray(bitmap.to_pil().convert("L")).copy()
        page.close()
        return image, width, height
    finally:
        document.close()


class OcrUnavailable(Exception):
    """tesseract (or its Chinese model) is not installed, or it failed on a page."""


@lru_cache(maxsize=1)
def tesseract_ready() -> str | None:
    """None when OCR can run, else why not."""
    if shutil.which("tesseract") is None:
        return "tesseract is not installed (apt-get install tesseract-ocr tesseract-ocr-chi-sim)"
    try:
        listed = subprocess.run(["tesseract", "--list-langs"], check=False, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError) as error:
        return f"tesseract does not run: {error}"
    if "chi_sim" not in (listed.stdout + listed.stderr).split():
        return "tesseract has no chi_sim model (apt-get install tesseract-ocr-chi-sim)"
    return None


def words(image: np.ndarray, language: str, options: list[str], scale: float = 1.0, mode: str = "6") -> list[dict]:
    """Word boxes (PDF points) of tesseract's TSV output for the image scaled by `scale`."""
    output = _run(image, scale, ["-l", language, "--psm", mode, *options, "tsv"])
    points = POINTS_PER_PIXEL / scale
    found = []
    for row in csv.DictReader(io.StringIO(output), delimiter="\t", quoting=csv.QUOTE_NONE):
        text = normalise(row.get("text") or "").strip().translate(_BRACKETS)
        if row.get("level") != "5" or not text:
            continue
        left, top, width, height = (int(row[k]) for k in ("left", "top", "width", "height"))
        found.append(
            {
                "text": text,
                "x0": left * points,
                "x1": (left + width) * points,
                "top": top * points,
                "bottom": (top + height) * points,
                "conf": float(row.get("conf") or 0),
            }
        )
    return found


def turn_upright(image: np.ndarray) -> int:
    """Degrees (0, 90, 180, 270) to turn the image clockwise to read it, by tesseract's orientation
    detection (its `osd` model); 0 when it cannot tell."""
    try:
        output = _run(image, _OSD_SCALE, ["--psm", "0", "--dpi", str(round(DPI * _OSD_SCALE))])
    except OcrUnavailable:
        return 0
    fields = dict(line.split(":", 1) for line in output.splitlines() if ":" in line)
    try:
        degrees, confidence = int(fields["Rotate"]), float(fields["Orientation confidence"])
    except (KeyError, ValueError):
        return 0
    return degrees if confidence >= _OSD_CONFIDENCE else 0


def _run(image: np.ndarray, scale: float, arguments: list[str]) -> str:
    """tesseract's standard output for the image scaled by `scale`."""
    picture = Image.fromarray(image)
    if scale != 1.0:
        picture = picture.resize((round(picture.width * scale), round(picture.height * scale)), Image.LANCZOS)
    with tempfile.TemporaryDirectory(prefix="fiscal-ocr-") as folder:
        png = Path(folder) / "page.png"
        picture.save(png)
        env = {**os.environ, "OMP_THREAD_LIMIT": "1"}  # its threads only fight the process pool
        try:
            done = subprocess.run(
                ["tesseract", str(png), "stdout", *arguments],
                check=False,
                capture_output=True,
                timeout=_TIMEOUT,
                env=env,
            )
        except (OSError, subprocess.SubprocessError) as error:
            raise OcrUnavailable(f"tesseract failed: {error}") from error
    if done.returncode != 0:
        raise OcrUnavailable(f"tesseract failed: {done.stderr.decode(errors='replace')[-200:]}")
    return done.stdout.decode("utf-8", errors="replace")
