"""The small world of the power-list and sunshine-list tests (no tests here).

Built on the organisations tests' world, through the real services:

    无锡市 320200: 市场监管局 (power editor), 市委编办 (reform office),
                   市政府办 (approver), 市财政局 (sunshine editor)
    梁溪区 320213: 区市场监管局 (power editor), 区委编办 (reform office)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from yiwang.core.actors import SYSTEM, Actor
from yiwang.domains.catalog.models import Power
from yiwang.domains.catalog.powers import (
    power_change_decide,
    power_change_request,
    power_change_review,
    power_publish,
)
from yiwang.domains.orgs.models import Agency, Staff
from yiwang.domains.orgs.tests.conftest import World, make_agency, make_staff
from yiwang.domains.orgs.tests.conftest import world as world


@dataclass
class PowersWorld:
    w: World
    bb: Agency
    gov: Agency
    czj: Agency
    lx_bb: Agency
    lx_mzj: Agency
    editor: Staff
    lx_editor: Staff
    reform: Staff
    lx_reform: Staff
    approver: Staff
    both: Staff
    sunshine: Staff
    lx_sunshine: Staff


@pytest.fixture
def pw(world: World) -> PowersWorld:
    bb = make_agency(world.city, "中共无锡市委机构编制委员会办公室")
    gov = make_agency(world.city, "无锡市人民政府办公室")
    czj = make_agency(world.city, "无锡市财政局")
    lx_bb = make_agency(world.lx, "中共无锡市梁溪区委机构编制委员会办公室")
    lx_mzj = make_agency(world.lx, "无锡市梁溪区民政局")
    lx_czj = make_agency(world.lx, "无锡市梁溪区财政局")
    return PowersWorld(
        w=world,
        bb=bb,
        gov=gov,
        czj=czj,
        lx_bb=lx_bb,
        lx_mzj=lx_mzj,
        editor=make_staff(world.scj, "scj_power", ["power_editor"], "邵佳慧"),
        lx_editor=make_staff(world.lx_scj, "lx_power", ["power_editor"], "陈立"),
        reform=make_staff(bb, "bb_reform", ["reform_office"], "严志刚"),
        lx_reform=make_staff(lx_bb, "lx_reform", ["reform_office"], "吴敏"),
        approver=make_staff(gov, "gov_approver", ["gov_approver"], "冯建国"),
        both=make_staff(bb, "bb_both", ["reform_office", "gov_approver"], "周全"),
        sunshine=make_staff(czj, "czj_sunshine", ["sunshine_editor"], "汤婉清"),
        lx_sunshine=make_staff(lx_czj, "lx_sunshine", ["sunshine_editor"], "钱多"),
    )


STEPS = [
    {"name": "受理", "actor_role": "窗口受理人员", "time_limit": "即时"},
    {"name": "审查", "actor_role": "审查人员", "time_limit": "5个工作日"},
    {"name": "决定", "actor_role": "审批人员", "time_limit": "3个工作日"},
    {"name": "送达", "actor_role": "窗口人员", "time_limit": "1个工作日"},
]
DUTIES = [
    {
        "content": "受理责任：一次性告知补正材料",
        "basis": "《中华人民共和国行政许可法》第三十二条",
        "accountability": "对符合法定条件的申请不予受理的",
    },
    {
        "content": "决定责任：在法定期限内作出决定",
        "accountability": "不在法定期限内作出决定的",
    },
]


def power_doc(code: str = "XK-0001", name: str = "食品经营许可", **over: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "code": code,
        "name": name,
        "power_type": "licensing",
        "basis": [
            {
                "title": "中华人民共和国食品安全法",
                "article": "第三十五条",
                "text": "国家对食品生产经营实行许可制度。",
            }
        ],
        "time_limit": "法定20个工作日，承诺10个工作日",
        "supervision_method": "电子监察、12345热线",
        "secret": False,
        "entry": "",
        "steps": [dict(s) for s in STEPS],
        "duties": [dict(d) for d in DUTIES],
    }
    doc.update(over)
    return doc


def through(
    pw: PowersWorld,
    *,
    kind: str,
    reason: str = "law_changed",
    note: str = "",
    requester: Actor | None = None,
    **kwargs: Any,
) -> Any:
    """A request the whole way: department → reform office → approval."""
    req = power_change_request(
        actor=requester or pw.editor, kind=kind, reason=reason, note=note, **kwargs
    )
    req = power_change_review(actor=pw.reform, request=req, approve=True)
    return power_change_decide(actor=pw.approver, request=req, approve=True)


def add_power(
    pw: PowersWorld,
    code: str = "XK-0001",
    *,
    agency: Agency | None = None,
    publish: bool = True,
    requester: Actor | None = None,
    **over: Any,
) -> Power:
    req = through(
        pw,
        kind="add",
        agency=agency or pw.w.scj,
        data=power_doc(code, **over),
        requester=requester or (SYSTEM if agency is not None else pw.editor),
    )
    power = Power.objects.get(pk=req.power_id)
    if publish and not power.secret:
        power = power_publish(actor=SYSTEM, power=power)
    return power
