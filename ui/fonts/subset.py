#!/usr/bin/env python3
"""Regenerates the embedded UI fonts: Noto Sans CJK SC (OFL-1.1), subset to GB 2312, Latin,
punctuation and every character used in ui/, lang/ and data/ (so every UI string renders
from the embedded font, identically everywhere). Rare characters (for example in a
citizen's name) fall back to the system's fonts-noto-cjk.

Needs: Debian fonts-noto-cjk, `pip install fonttools`. Run from the repository root:
    python3 ui/fonts/subset.py
"""
import pathlib
import subprocess

ROOT = pathlib.Path(__file__).resolve().parents[2]
SOURCE = "/usr/share/fonts/opentype/noto/NotoSansCJK-{}.ttc"
SC_FACE = "2"  # face index of "Noto Sans CJK SC" in the Debian collection

chars = set()
for hi in range(0xA1, 0xF8):
    for lo in range(0xA1, 0xFF):
        try:
            chars.add(bytes([hi, lo]).decode("gb2312"))
        except UnicodeDecodeError:
            pass
for folder in ("ui", "lang", "data"):
    for path in (ROOT / folder).rglob("*"):
        if path.suffix in {".slint", ".po", ".toml", ".md", ".json"} and path.is_file():
            chars.update(path.read_text(encoding="utf-8", errors="ignore"))
text = "".join(sorted(c for c in chars if ord(c) > 0x7F))
listing = ROOT / "target" / "font-chars.txt"
listing.parent.mkdir(exist_ok=True)
listing.write_text(text, encoding="utf-8")
for weight in ("Regular", "Bold"):
    subprocess.run(
        [
            "pyftsubset", SOURCE.format(weight), f"--font-number={SC_FACE}",
            f"--text-file={listing}",
            "--unicodes=U+0020-007E,U+00A0-00FF,U+2000-206F,U+2190-21FF,U+2460-24FF,"
            "U+25A0-25FF,U+2600-26FF,U+3000-303F,U+FF00-FFEF",
            "--layout-features=*",
            f"--output-file={ROOT / 'ui' / 'fonts' / f'NotoSansSC-{weight}.otf'}",
        ],
        check=True,
    )
print("wrote ui/fonts/NotoSansSC-{Regular,Bold}.otf")
