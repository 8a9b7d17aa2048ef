"""API: divisions and agencies (filled in by the organisations work)."""

from ninja import Router

router = Router(tags=["组织机构"])
