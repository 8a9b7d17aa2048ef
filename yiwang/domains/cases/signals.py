"""Signals the case domain sends to the domains above it (which it must not
import). Receivers connect in their app's ``ready()``; each receiver's body
is one service call, and runs inside the sending service's transaction, so a
failure there undoes the case's write too.

- ``case_certify(sender=Case, case=<Case>, actor=<Actor>)``: the 制证 step
  ("certify") of a granted case was completed — the certificates domain
  issues the electronic certificate (R7.1).
"""

from __future__ import annotations

from django.dispatch import Signal

case_certify = Signal()
