"""Scheduled work of the certificates domain (docs/adr/0007-task-engine.md)."""

from __future__ import annotations

from django_tasks import task

from yiwang.domains.certificates.services import certificates_expire_due


@task(queue_name="sweeps")
def certificates_expire() -> dict[str, int]:
    """Daily: mark 失效 the certificates whose validity has ended."""
    return {"expired": certificates_expire_due()}
