"""Receivers of lower domains' signals (connected in apps.ready())."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from yiwang.domains.cases.signals import case_certify


@receiver(case_certify, dispatch_uid="certificates.case_certify")
def on_case_certify(sender: Any, case: Any, actor: Any, **kwargs: Any) -> None:
    from yiwang.domains.certificates.services import certificate_issue_for_case

    certificate_issue_for_case(actor=actor, case_id=case.pk)
