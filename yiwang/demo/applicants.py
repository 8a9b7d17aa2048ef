"""Demo applicants of 无锡市: people with valid generated resident IDs on real
Wuxi address codes and entities with valid credit codes (R2.3).

Loading goes through the real registration services (actor SYSTEM: the
platform loading its demo) and is idempotent: an applicant already there is
left alone. Every account has the shared demo password.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from yiwang.core.actors import SYSTEM
from yiwang.core.checkdigits import make_credit_code, make_resident_id
from yiwang.core.pii import blind_index
from yiwang.demo import DEMO_PASSWORD
from yiwang.domains.accounts.models import Entity, Person
from yiwang.domains.accounts.services import entity_register, person_register

# (name, address code, birth date, sequence (odd = male), phone, note)
# Address codes: 320213 梁溪区, 320214 新吴区, 320211 滨湖区, 320206 惠山区,
# 320205 锡山区, 320281 江阴市, 320282 宜兴市; 320202 崇安区 and 320204 北塘区
# were merged into 梁溪区 in 2015 but stay in older ID numbers.
PERSONS: tuple[tuple[str, str, dt.date, int, str, str], ...] = (
    ("王建国", "320202", dt.date(1962, 3, 14), 31, "13951010001", ""),
    ("陈丽华", "320213", dt.date(1975, 8, 2), 42, "13951010002", ""),
    ("钱志强", "320204", dt.date(1980, 11, 23), 17, "13951010003", "个体工商户经营者"),
    ("周子涵", "320214", dt.date(1998, 5, 9), 26, "13951010004", ""),
    ("孙秀英", "320205", dt.date(1958, 1, 30), 68, "13951010005", "老年人"),
    ("吴浩然", "320211", dt.date(2001, 7, 16), 53, "13951010006", "高校毕业生"),
    ("顾晓燕", "320206", dt.date(1986, 12, 5), 84, "13951010007", ""),
    ("华明", "320213", dt.date(1990, 4, 21), 11, "13951010008", ""),
    ("蒋婷婷", "320281", dt.date(1993, 9, 12), 20, "13951010009", ""),
    ("过建平", "320282", dt.date(1968, 6, 3), 75, "13951010010", ""),
    ("沈佳怡", "320214", dt.date(1996, 2, 28), 46, "13951010011", ""),
    ("阿依古丽·买买提", "320211", dt.date(1989, 10, 8), 62, "13951010012", "少数民族姓名"),
    ("朱国良", "320206", dt.date(1971, 8, 19), 39, "13951010013", "村代办员（惠山区阳山镇桃源村）"),
)

# (name, authority, body type, division, serial, legal representative,
#  representative's address code, birth date, sequence, phone, note)
ENTITIES: tuple[tuple[str, str, str, str, int, str, str, dt.date, int, str, str], ...] = (
    (
        "无锡市梁溪区阿福面馆",
        "9",
        "2",
        "320213",
        60118821,
        "钱志强",
        "320204",
        dt.date(1980, 11, 23),
        17,
        "13951020001",
        "个体工商户（餐饮）",
    ),
    (
        "无锡锡华精密机械有限公司",
        "9",
        "1",
        "320214",
        71356402,
        "王建国",
        "320202",
        dt.date(1962, 3, 14),
        31,
        "13951020002",
        "有限责任公司",
    ),
    (
        "无锡太湖云智科技有限公司",
        "9",
        "1",
        "320211",
        30257716,
        "吴浩然",
        "320211",
        dt.date(2001, 7, 16),
        53,
        "13951020003",
        "有限责任公司（初创）",
    ),
    (
        "江阴澄江纺织有限公司",
        "9",
        "1",
        "320281",
        14220953,
        "徐卫东",
        "320281",
        dt.date(1966, 5, 27),
        35,
        "13951020004",
        "有限责任公司",
    ),
    (
        "宜兴市紫韵陶瓷艺术有限公司",
        "9",
        "1",
        "320282",
        25561378,
        "蒋玉琴",
        "320282",
        dt.date(1972, 2, 11),
        48,
        "13951020005",
        "有限责任公司",
    ),
    (
        "无锡市梁溪区书画艺术协会",
        "5",
        "1",
        "320213",
        50793124,
        "孙秀英",
        "320205",
        dt.date(1958, 1, 30),
        68,
        "13951020006",
        "社会团体",
    ),
)


def load_applicants() -> list[dict[str, Any]]:
    """Register the demo applicants not yet there; return every demo login."""
    accounts: list[dict[str, Any]] = []
    for name, address, born, seq, phone, note in PERSONS:
        id_number = make_resident_id(address, born, seq)
        if not Person.objects.filter(id_index=blind_index(id_number)).exists():
            person_register(
                actor=SYSTEM, name=name, id_number=id_number, phone=phone, password=DEMO_PASSWORD
            )
        accounts.append(
            {"kind": "person", "login": id_number, "phone": phone, "name": name, "note": note}
        )
    for (
        name,
        authority,
        body_type,
        division,
        serial,
        rep,
        rep_address,
        rep_born,
        rep_seq,
        phone,
        note,
    ) in ENTITIES:
        credit_code = make_credit_code(authority, body_type, division, serial)
        if not Entity.objects.filter(credit_code=credit_code).exists():
            entity_register(
                actor=SYSTEM,
                name=name,
                credit_code=credit_code,
                legal_representative=rep,
                legal_representative_id=make_resident_id(rep_address, rep_born, rep_seq),
                phone=phone,
                password=DEMO_PASSWORD,
            )
        accounts.append(
            {"kind": "entity", "login": credit_code, "phone": phone, "name": name, "note": note}
        )
    return accounts
