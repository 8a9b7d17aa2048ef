"""Serving a stored file (a material, an attachment, a certificate's PDF) to
someone a view has already found allowed to see it."""

from __future__ import annotations

from typing import Any

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string


def stream_stored(path: str, *, mime: str, filename: str, download: bool = False) -> HttpResponse:
    """Stream the file at ``path`` of the storage; never cached by a shared
    proxy, never content-sniffed by the browser (an upload stays what its
    checked type says)."""
    try:
        fh = default_storage.open(path, "rb")
    except FileNotFoundError as exc:
        raise Http404("文件不存在") from exc
    response = FileResponse(
        fh,
        content_type=mime or "application/octet-stream",
        as_attachment=download,
        filename=filename,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response  # type: ignore[return-value]  # streamed, like any response to Django


DOCUMENT_RETRY_SECONDS = 3


def case_document_response(request: HttpRequest, doc: Any) -> HttpResponse:
    """A case's notice or decision as its PDF; while a worker is still
    rendering it (生成中), a page that says so and reloads itself (202, with
    Retry-After for programs)."""
    if not doc.ready:
        html = render_to_string(
            "web/document_pending.html",
            {"doc": doc, "retry_seconds": DOCUMENT_RETRY_SECONDS},
            request=request,
        )
        response = HttpResponse(html, status=202)
        response["Retry-After"] = str(DOCUMENT_RETRY_SECONDS)
        response["Cache-Control"] = "private, no-store"
        return response
    return stream_stored(doc.path, mime="application/pdf", filename=f"{doc.number}.pdf")
