"""Conventions a reader relies on, checked over the source."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "yiwang"
# Modules whose functions are services (writes with an actor and an audit entry).
SERVICE_MODULES = sorted(
    [
        *ROOT.glob("domains/*/services.py"),
        ROOT / "domains/cases/bundles.py",
        ROOT / "domains/catalog/powers.py",
        ROOT / "domains/catalog/excel.py",
        ROOT / "domains/certificates/excel.py",
        ROOT / "domains/certificates/wallet.py",
        ROOT / "core/calendar.py",
    ]
)
OUTER_ATOMIC = re.compile(r"^(    )?(@transaction\.atomic\b|with transaction\.atomic\(\))", re.M)


def test_services_open_service_transactions():
    """R14.3 (docs/adr/0009): a service's own transaction is
    ``service_transaction``, which links its audit entries just before commit;
    a plain ``transaction.atomic`` at a service's top would hold the audit
    head lock from its first write on. (Inner savepoints may stay plain.)"""
    found = {
        str(path.relative_to(ROOT)): [
            path.read_text(encoding="utf-8")[: m.start()].count("\n") + 1
            for m in OUTER_ATOMIC.finditer(path.read_text(encoding="utf-8"))
        ]
        for path in SERVICE_MODULES
    }
    assert all(path.exists() for path in SERVICE_MODULES)
    assert {k: v for k, v in found.items() if v} == {}
