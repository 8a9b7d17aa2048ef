"""API: applicants (filled in by the accounts work)."""

from ninja import Router

router = Router(tags=["申请人"])
