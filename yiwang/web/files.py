"""Serving a stored file (a material, an attachment, a certificate's PDF) to
someone a view has already found allowed to see it."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse


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
