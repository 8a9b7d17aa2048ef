"""Rebuild the shipped CJK font subset (docs/adr/0005-documents-pdf.md).

    python -m yiwang.core.fonts.make_subset /usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc

Takes Noto Serif CJK SC Regular (SIL OFL 1.1, Debian's fonts-noto-cjk), keeps
ASCII, GB 2312 (6,763 hanzi and its symbols), CJK punctuation and full-width
forms, drops layout and vertical tables and hinting, renames the family to
"Yiwang Serif SC" (a Modified Version under the OFL) and writes WOFF2 (about
1.5 MB). Not imported at run time; needs fontTools and brotli (WeasyPrint's
dependencies).
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "YiwangSerifSC-Regular.woff2"
FAMILY = "Yiwang Serif SC"
PS_NAME = "YiwangSerifSC-Regular"


def charset() -> set[str]:
    chars = {chr(c) for c in range(0x20, 0x7F)}
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):
                chars.add(bytes([hi, lo]).decode("gb2312"))
    chars |= {chr(c) for c in range(0x3000, 0x3040)}  # CJK symbols and punctuation
    chars |= {chr(c) for c in range(0xFF01, 0xFF5F)}  # full-width forms
    chars |= set("〇—–…·•№℃‰×÷±")
    return chars


def build(source: str, out: Path = OUT) -> Path:
    from fontTools import subset
    from fontTools.ttLib import TTCollection, TTFont

    font: TTFont
    if source.lower().endswith((".ttc", ".otc")):
        fonts = TTCollection(source).fonts
        font = next(f for f in fonts if f["name"].getDebugName(1) == "Noto Serif CJK SC")
    else:
        font = TTFont(source)
    options = subset.Options()
    options.layout_features = []
    options.hinting = False
    options.drop_tables += ["GSUB", "GPOS", "BASE", "VORG", "vhea", "vmtx"]
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(ord(c) for c in charset()))
    subsetter.subset(font)
    name = font["name"]
    for record in list(name.names):
        if record.nameID in (1, 4):
            record.string = FAMILY
        elif record.nameID == 3:
            record.string = f"{PS_NAME};GB2312 subset of Noto Serif CJK SC"
        elif record.nameID == 6:
            record.string = PS_NAME
    if "CFF " in font:
        font["CFF "].cff.fontNames = [PS_NAME]
    font.flavor = "woff2"
    font.save(str(out))
    return out


if __name__ == "__main__":
    src = (
        sys.argv[1]
        if len(sys.argv) > 1
        else "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"
    )
    print(build(src))
