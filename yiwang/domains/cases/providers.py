"""Materials the applicant need not upload (免证办, R5.8), without the case
domain knowing where they come from.

The certificates domain sits above cases (cases must not import it). At app
ready it registers a *material provider*: a function
``fn(applicant_user, certificate_type_code) -> list[MaterialOffer]`` giving
the applicant's certificates of that type that may be used now (valid, inside
their validity window). The case services ask the providers when the page
offers a certificate and again when the applicant chooses one, so a
certificate revoked or expired in between is refused.

When a case takes a material from a certificate, ``material_from_certificate``
is sent inside the same transaction (the receiver, in certificates, records
the holder's consent as a use of the certificate).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.dispatch import Signal


@dataclass(frozen=True)
class MaterialOffer:
    """One certificate the applicant holds that can stand for a material."""

    identifier: str  # GB/T 36904 certificate identifier
    name: str  # e.g. 营业执照
    valid_to: dt.date | None
    path: str = ""  # the certificate's PDF in storage
    sm3: str = ""
    size: int = 0
    issuer_name: str = ""
    number: str = ""  # 证照编号

    @property
    def masked_identifier(self) -> str:
        return mask_identifier(self.identifier)


Provider = Callable[[Any, str], list[MaterialOffer]]

_providers: list[Provider] = []

material_from_certificate = Signal()
"""Sent (actor, case, material, identifier) when a case material is taken
from a certificate: the holder chose it, which is their consent."""


def register_material_provider(fn: Provider) -> Provider:
    """Add a provider (idempotent: registering the same function twice keeps
    one). Returns ``fn`` so it can be used as a decorator."""
    if fn not in _providers:
        _providers.append(fn)
    return fn


def unregister_material_provider(fn: Provider) -> None:
    if fn in _providers:
        _providers.remove(fn)


def material_offers(applicant: Any, certificate_type_code: str) -> list[MaterialOffer]:
    """Every offer of every provider for this applicant and type ([] when the
    type code is blank or nobody provides)."""
    code = (certificate_type_code or "").strip()
    if not code or applicant is None:
        return []
    seen: set[str] = set()
    out: list[MaterialOffer] = []
    for fn in list(_providers):
        for offer in fn(applicant, code):
            if offer.identifier not in seen:
                seen.add(offer.identifier)
                out.append(offer)
    return out


def confirm_offer(
    applicant: Any, certificate_type_code: str, identifier: str
) -> MaterialOffer | None:
    """The offer with this identifier if a provider still offers it now."""
    offers = material_offers(applicant, certificate_type_code)
    return next((o for o in offers if o.identifier == identifier), None)


def mask_identifier(identifier: str) -> str:
    """Shown to the applicant: the start and the end of the identifier, the
    middle (issuer and most of the serial) hidden."""
    text = identifier or ""
    if len(text) <= 28:
        return text
    return f"{text[:8]}…{text[-16:]}"
