"""Documents as PDF: a Django template rendered by WeasyPrint, with a QR code
for verification (ARCHITECTURE.md "Documents"; docs/documents.md).

    pdf = render_pdf("documents/case/acceptance.html", {"title": ..., "verify_url": url})

Chinese renders on any machine: every render registers the CJK font shipped in
``yiwang/core/fonts`` (a GB 2312 subset of Noto Serif CJK SC, family
"Yiwang Serif SC"), which fontconfig then also uses as the fallback for Chinese
text whatever family a template names; with Debian's fonts-noto-cjk installed
the full "Noto Serif CJK SC" / "Noto Sans CJK SC" (bold included, every
character) come first in ``documents/base.html``. The PDF embeds subsets of
the fonts it uses (docs/adr/0005-documents-pdf.md).

Resources a template may load are limited to ``data:`` URIs, the shipped
fonts, the apps' static folders and the media folder: a document never fetches from the network or
reads other local files, whatever ends up in its context.
"""

from __future__ import annotations

import atexit
import functools
import logging
import shutil
import subprocess
import threading
from pathlib import Path
from typing import Any

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

logger = logging.getLogger(__name__)

PACKAGE_DIR = Path(__file__).resolve().parent.parent
FONT_DIR = Path(__file__).resolve().parent / "fonts"
SHIPPED_FONT = FONT_DIR / "YiwangSerifSC-Regular.woff2"
SHIPPED_FAMILY = "Yiwang Serif SC"
# Families a document template should list, best first.
SERIF_STACK = f'"Noto Serif CJK SC", "{SHIPPED_FAMILY}", "Source Han Serif SC", serif'
SANS_STACK = f'"Noto Sans CJK SC", "Source Han Sans SC", "{SHIPPED_FAMILY}", sans-serif'

_FONT_FACE_CSS = (
    "@font-face {{ font-family: '{family}'; src: url('{url}') format('woff2'); "
    "font-weight: normal; font-style: normal; }}"
)


# --- QR codes --------------------------------------------------------------------


def qr_svg(text: str, *, error: str = "m", title: str = "") -> SafeString:
    """An inline ``<svg>`` QR code of ``text`` (e.g. a verification URL), sized
    by CSS (it has a viewBox, no width/height)."""
    qr = segno.make(text, error=error, micro=False)
    svg = qr.svg_inline(scale=1, border=2, omitsize=True, dark="#000", light="#fff", title=title)
    return mark_safe(svg)  # segno escapes the title; the data is in paths only


def qr_png_data_uri(text: str, *, scale: int = 4, error: str = "m") -> str:
    """The QR code as a ``data:image/png;base64,…`` URI (for an ``<img>``)."""
    return str(segno.make(text, error=error, micro=False).png_data_uri(scale=scale, border=2))


# --- fonts -----------------------------------------------------------------------


@functools.cache
def system_cjk_families() -> tuple[str, ...]:
    """Chinese font families fontconfig knows on this machine (cached)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return ()
    try:
        out = subprocess.run(
            [fc_list, ":lang=zh", "family"], capture_output=True, text=True, timeout=20, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return ()
    families = {part.strip() for line in out.splitlines() for part in line.split(",")}
    return tuple(sorted(f for f in families if f))


def _in_shipped_subset(ch: str) -> bool:
    if ord(ch) < 0x2E80:
        return True  # Latin and symbols: covered by the subset or any system font
    if 0x3000 <= ord(ch) < 0x3040 or 0xFF01 <= ord(ch) < 0xFF5F:
        return True
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def characters_outside_shipped_font(text: str) -> list[str]:
    """CJK characters in ``text`` the shipped GB 2312 subset lacks (rare
    characters in names and addresses need a full system font)."""
    return sorted({ch for ch in text if not _in_shipped_subset(ch)})


def _warn_missing_glyphs(html: str) -> None:
    if any("Noto" in f or "Source Han" in f for f in system_cjk_families()):
        return
    missing = characters_outside_shipped_font(html)
    if missing:
        logger.warning(
            "文书含随附字体未收录的字 %s，本机未安装完整中文字体，这些字可能无法显示；"
            "请安装 fonts-noto-cjk（docs/install.md）",
            "".join(missing[:20]),
        )


# --- rendering ------------------------------------------------------------------

_local = threading.local()
# Drop this thread's font configuration before the interpreter tears down the
# modules its finaliser needs.
atexit.register(lambda: _local.__dict__.clear())


@functools.cache
def _package_roots() -> tuple[Path, ...]:
    """The shipped fonts and the apps' static folders (images a template may use)."""
    return (FONT_DIR, *sorted(p.resolve() for p in PACKAGE_DIR.glob("*/**/static") if p.is_dir()))


def _allowed_roots() -> list[Path]:
    roots = list(_package_roots())
    media = getattr(settings, "MEDIA_ROOT", None)
    if media:
        roots.append(Path(media).resolve())
    return roots


@functools.cache
def _fetcher_class() -> type:
    from weasyprint.urls import URLFetcher

    class LocalOnlyFetcher(URLFetcher):
        """data: URIs and files under the fonts, static or media folders only."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if url.startswith("file:"):
                from urllib.parse import unquote, urlsplit

                path = Path(unquote(urlsplit(url).path)).resolve()
                if any(path.is_relative_to(root) for root in _allowed_roots()):
                    return super().fetch(url, headers)
            raise ValueError(f"文书不得引用外部资源：{url[:200]}")

    return LocalOnlyFetcher


def _fetcher() -> Any:
    """This thread's fetcher (a URLFetcher keeps per-request state)."""
    fetcher = getattr(_local, "fetcher", None)
    if fetcher is None:
        fetcher = _local.fetcher = _fetcher_class()(timeout=5, allow_redirects=False)
    return fetcher


def _fonts() -> tuple[Any, Any]:
    """(FontConfiguration, stylesheet registering the shipped font), one pair
    per thread: WeasyPrint's font configuration is not shared across threads."""
    cached = getattr(_local, "fonts", None)
    if cached is None:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        font_config = FontConfiguration()
        css = CSS(
            string=_FONT_FACE_CSS.format(family=SHIPPED_FAMILY, url=SHIPPED_FONT.as_uri()),
            font_config=font_config,
            url_fetcher=_fetcher(),
        )
        cached = (font_config, css)
        _local.fonts = cached
    return cached


def html_to_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """Lay out an HTML document (print CSS, A4 by default in documents/base.html)
    and return the PDF bytes."""
    from weasyprint import HTML

    font_config, font_css = _fonts()
    _warn_missing_glyphs(html)
    document = HTML(
        string=html,
        base_url=base_url or PACKAGE_DIR.as_uri() + "/",
        url_fetcher=_fetcher(),
    )
    pdf: bytes = document.write_pdf(
        stylesheets=[font_css],
        font_config=font_config,
        pdf_identifier=None,
        custom_metadata=True,
    )
    return pdf


def document_context(context: dict[str, Any]) -> dict[str, Any]:
    """The context a document template sees: the caller's values plus
    ``platform_name``, ``verify_site`` and, when ``verify_url`` is given and
    ``qr`` is not, the QR code of the URL as inline SVG."""
    full = {
        "platform_name": getattr(settings, "YIWANG_PLATFORM_NAME", "一网政务服务平台"),
        "serif_stack": mark_safe(SERIF_STACK),
        "sans_stack": mark_safe(SANS_STACK),
        **context,
    }
    full.setdefault("verify_site", full["platform_name"])
    if full.get("verify_url") and not full.get("qr"):
        full["qr"] = qr_svg(str(full["verify_url"]))
    return full


def render_html(template_name: str, context: dict[str, Any]) -> str:
    return render_to_string(template_name, document_context(context))


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    """Render a Django template (e.g. one extending ``documents/base.html``) to
    PDF bytes with the CJK font embedded."""
    return html_to_pdf(render_html(template_name, context))
