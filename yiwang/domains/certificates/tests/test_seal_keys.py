"""SM2 seal keys whatever their digits (R7.6)."""

from __future__ import annotations

from yiwang.domains.certificates import seals


def test_public_key_beginning_with_04_signs_and_verifies() -> None:
    """R7.6: a seal whose public key's x coordinate begins with "04" (which
    gmssl's constructor would strip as a point prefix) still signs and
    verifies; found by a PostgreSQL run that hit such a key."""
    for _ in range(4000):
        private, public = seals.sm2_generate()
        if public.startswith("04"):
            break
    else:  # pragma: no cover - 1 in 256 per try; 4000 tries make a miss negligible
        raise AssertionError("no key beginning with 04 found")
    signer = seals.SoftwareSm2Signer(private, public)
    signature = signer.sign(b"metadata")
    assert len(signature) == 128
    assert seals.sm2_verify(public, b"metadata", signature)
    assert not seals.sm2_verify(public, b"metadatA", signature)
