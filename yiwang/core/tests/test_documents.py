"""Notices render to PDF with their Chinese text and an embedded CJK font, on
this machine and on one without any Chinese font (ARCHITECTURE.md "Documents";
R5.3 notices, R14.3 verification)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from yiwang.core.documents import (
    SHIPPED_FONT,
    _fetcher,
    characters_outside_shipped_font,
    qr_png_data_uri,
    qr_svg,
    render_html,
    render_pdf,
)
from yiwang.core.filetypes import sniff
from yiwang.core.tests.pdftools import pdf_fonts, pdf_text

NOTICE: dict[str, Any] = {
    "agency_name": "无锡市梁溪区行政审批局",
    "title": "受理通知书",
    "number": "梁审受〔2026〕第0001号",
    "to": "张三",
    "body": "你于2026年11月20日提出的“食品经营许可”申请，申请材料齐全、符合法定形式，"
    "本机关决定予以受理。\n\n本机关将在10个工作日内作出决定。",
    "issued_on": dt.date(2026, 11, 22),
    "verify_url": "https://zwfw.example.gov.cn/verify/0123456789abcdef/",
    "verify_code": "0123-4567-89AB",
}


def _flat(text: str) -> str:
    return "".join(text.split())


def _cjk_fonts(pdf: bytes) -> list[dict[str, str]]:
    return [f for f in pdf_fonts(pdf) if "CJK" in f["name"] or "Yiwang" in f["name"]]


def test_a_notice_pdf_gives_back_its_chinese_text_and_embeds_a_cjk_font():
    """R5.3: the 受理通知书 is a PDF whose Chinese text a reader extracts, with
    the CJK font embedded (it prints the same on a machine without it)."""
    pdf = render_pdf("documents/base.html", NOTICE)
    found = sniff(pdf)
    assert found is not None and found.kind == "pdf"
    text = _flat(pdf_text(pdf))
    for expected in (
        "无锡市梁溪区行政审批局",
        "受理通知书",
        "梁审受〔2026〕第0001号",
        "张三：",
        "申请材料齐全、符合法定形式",
        "2026年11月22日",
        "可扫码或登录一网政务服务平台核验本文书真伪",
        "核验码：0123-4567-89AB",
    ):
        assert expected in text, expected
    fonts = _cjk_fonts(pdf)
    assert fonts, pdf_fonts(pdf)
    assert all(f["emb"] == "yes" for f in fonts)


def test_the_shipped_font_renders_chinese_where_no_chinese_font_is_installed(tmp_path):
    """ADR 0005: on a machine without fonts-noto-cjk the shipped GB 2312 subset
    is embedded and the text still comes back (fontconfig here sees only the
    fonts we give it)."""
    conf = tmp_path / "fonts.conf"
    dejavu = "/usr/share/fonts/truetype/dejavu"
    dirs = f"<dir>{dejavu}</dir>" if Path(dejavu).is_dir() else ""
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">'
        f"<fontconfig>{dirs}<cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>"
    )
    out = tmp_path / "notice.pdf"
    script = textwrap.dedent(
        f"""
        import django, datetime
        django.setup()
        from yiwang.core.documents import render_pdf, system_cjk_families
        assert not any("CJK" in f for f in system_cjk_families()), system_cjk_families()
        ctx = {NOTICE!r}
        # A template that names only families this machine lacks.
        from yiwang.core.documents import html_to_pdf
        html = '<p style="font-family: SimSun, serif">申请人：李四，住所：无锡市梁溪区</p>'
        open({str(out)!r}, "wb").write(render_pdf("documents/base.html", ctx))
        open({str(out) + ".2"!r}, "wb").write(html_to_pdf(html))
        """
    )
    env = {
        **os.environ,
        "FONTCONFIG_FILE": str(conf),
        "DJANGO_SETTINGS_MODULE": "yiwang.config.settings.test",
    }
    subprocess.run([sys.executable, "-c", script], env=env, check=True, timeout=180)
    pdf = out.read_bytes()
    assert "申请材料齐全、符合法定形式" in _flat(pdf_text(pdf))
    names = [f["name"] for f in _cjk_fonts(pdf)]
    assert names and all("Yiwang-Serif-SC" in n for n in names), pdf_fonts(pdf)
    # Any template, even one naming a font that is not there, falls back to it.
    other = Path(str(out) + ".2").read_bytes()
    assert "申请人：李四，住所：无锡市梁溪区" in _flat(pdf_text(other))
    assert any("Yiwang-Serif-SC" in f["name"] for f in pdf_fonts(other))


def test_the_verification_qr_code_is_inline_svg_in_the_document():
    """R14.3: the footer carries a QR code of the verification URL."""
    svg = qr_svg(NOTICE["verify_url"])
    assert svg.startswith("<svg") and "viewBox" in svg and "width=" not in svg
    html = render_html("documents/base.html", NOTICE)
    assert '<div class="qr"><svg' in html
    # a different URL gives a different code
    assert qr_svg(NOTICE["verify_url"] + "x") != svg
    assert qr_png_data_uri("https://example.gov.cn/v/1").startswith("data:image/png;base64,")


def test_context_values_are_escaped():
    """A name typed by an applicant cannot inject markup into a notice."""
    html = render_html("documents/base.html", {**NOTICE, "to": '<img src="http://x/">张三'})
    assert '<img src="http://x/">' not in html
    assert "&lt;img" in html


def test_documents_fetch_nothing_from_outside():
    """Resources are data: URIs, the package's files or the media folder only."""
    fetch = _fetcher()
    with pytest.raises(ValueError):
        fetch("http://127.0.0.1:9/secret")
    with pytest.raises(ValueError):
        fetch("file:///etc/passwd")
    with pytest.raises(ValueError):  # the package's own code and settings neither
        fetch((Path(__file__).parents[2] / "config" / "settings" / "base.py").as_uri())
    with pytest.raises(ValueError):
        fetch(SHIPPED_FONT.as_uri().replace("fonts/", "fonts/../../../../../etc/"))
    assert fetch(SHIPPED_FONT.as_uri()).read()[:4] == b"wOF2"
    assert fetch("data:text/plain,ok").read() == b"ok"


def test_characters_outside_the_shipped_subset_are_named():
    assert characters_outside_shipped_font("张三，无锡市梁溪区 ABC") == []
    assert characters_outside_shipped_font("王㛃喆") == ["㛃", "喆"]


def test_a_long_document_flows_over_pages_with_the_footer_on_each():
    body = "\n\n".join(
        f"第{i}条　申请人应当如实提交有关材料和反映真实情况。" * 3 for i in range(60)
    )
    pdf = render_pdf("documents/base.html", {**NOTICE, "body": body})
    text = pdf_text(pdf)
    pages = text.split("\f")
    pages = [p for p in pages if p.strip()]
    assert len(pages) >= 2
    for page in pages:
        assert "核验码" in _flat(page)
    assert f"共{len(pages)}页" in _flat(text)
