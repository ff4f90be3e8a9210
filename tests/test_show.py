"""`extractor show`: a self-contained page with each field's words highlighted, checked in a real browser."""

import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from extractor._show import COLOURS, render_page
from extractor.reconcile.evidence import locate
from tests.test_evidence import RECORD, TEXT

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_browser = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)")


def test_the_page_marks_each_located_value_and_flags_the_rest():
    page = render_page(TEXT, locate(RECORD, TEXT), source="acme.txt")
    assert '<mark data-fields="title"' in page and '<mark data-fields="salary"' in page
    assert page.count('data-unsupported="true"') == 1  # "Go": the text never names it
    assert "<script" not in page and "http" not in page.split("<body>")[0]  # nothing to run, nothing fetched


def _png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Rows of RGB(A) pixels of an 8-bit, non-interlaced PNG (what chromium writes)."""
    width, height, depth, colour = struct.unpack(">IIBB", data[16:26])
    assert depth == 8 and colour in (2, 6)
    channels = 4 if colour == 6 else 3
    chunks, at = b"", 8
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at : at + 8])
        if kind == b"IDAT":
            chunks += data[at + 8 : at + 8 + length]
        at += 12 + length
    raw, stride, rows, previous = zlib.decompress(chunks), width * channels, [], bytes(width * channels)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for x in range(stride):
            left = line[x - channels] if x >= channels else 0
            up, corner = previous[x], previous[x - channels] if x >= channels else 0
            if kind == 1:
                line[x] = (line[x] + left) & 255
            elif kind == 2:
                line[x] = (line[x] + up) & 255
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 255
            elif kind == 4:
                guess = left + up - corner
                best = min((abs(guess - left), left), (abs(guess - up), up), (abs(guess - corner), corner))[1]
                line[x] = (line[x] + best) & 255
        rows.append(bytes(line))
        previous = line
    return width, channels, rows


@needs_browser
def test_the_page_loads_in_a_browser_with_no_errors_and_shows_the_highlights(tmp_path: Path):
    page = tmp_path / "acme.html"
    page.write_text(render_page(TEXT, locate(RECORD, TEXT), source="acme.txt"), encoding="utf-8")
    flags = [CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--enable-logging=stderr",
             "--v=0", "--window-size=1200,700"]  # fmt: skip
    dom = subprocess.run([*flags, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120, check=True)
    assert dom.stdout.count("<mark") >= 12 and 'data-field="required_skills"' in dom.stdout
    assert "CONSOLE" not in dom.stderr and "Uncaught" not in dom.stderr
    shot = tmp_path / "shot.png"
    subprocess.run([*flags, f"--screenshot={shot}", page.as_uri()], capture_output=True, timeout=120, check=True)
    width, channels, rows = _png_pixels(shot.read_bytes())
    seen = {row[x : x + 3] for row in rows for x in range(0, width * channels, channels)}
    title, salary = (bytes.fromhex(COLOURS[name][1:]) for name in ("title", "salary"))
    assert title in seen and salary in seen  # the highlights are painted, in their fields' colours


def test_show_writes_the_page_for_a_posting(endpoint, settings, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from extractor.cli import cli
    from tests.conftest import posting_json

    endpoint.reply(endpoint.answer(posting_json(title="Senior Backend Engineer", company="Acme GmbH", locations=[])))
    source = tmp_path / "acme.txt"
    source.write_text(TEXT, encoding="utf-8")
    env = {"EXTRACTOR_BASE_URL": settings.endpoint.base_url, "EXTRACTOR_API_KEY": "sk-test", "EXTRACTOR_MAX_RETRIES": "0",
           "EXTRACTOR_CACHE_DIR": str(settings.cache.dir), "EXTRACTOR_STRATEGY": "core"}  # fmt: skip
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["show", str(source)], env=env)
    assert result.exit_code == 0, result.output
    page = (tmp_path / "acme.html").read_text(encoding="utf-8")
    assert '<mark data-fields="title"' in page and "Senior Backend Engineer" in page
