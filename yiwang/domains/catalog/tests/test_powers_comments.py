"""R4.6: public comments and complaints on powers, answered by the power's
agency; the contact is encrypted at rest and masked on screen."""

# The fixtures pw and world are imported from test_powers_world: their use as
# test arguments is not a redefinition.
# ruff: noqa: F811

from __future__ import annotations

import pytest
from django.db import connection

from yiwang.core.audit import audit_verify
from yiwang.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from yiwang.core.models import AuditEntry
from yiwang.domains.catalog.models import PowerComment, PowerCommentStatus
from yiwang.domains.catalog.powerdoc import mask_contact
from yiwang.domains.catalog.powers import PUBLIC, power_comment_reply, power_comment_submit
from yiwang.domains.catalog.powers_selectors import (
    power_comments_for_viewer,
    power_public_comments,
)
from yiwang.domains.catalog.tests.test_powers_world import (  # noqa: F401 (fixtures)
    add_power,
    pw,
    world,
)

pytestmark = pytest.mark.django_db


def test_anyone_may_comment_without_logging_in(pw):
    """R4.6: a member of the public leaves a comment with a contact for the
    reply; the contact is encrypted at rest; the audit names the public."""
    power = add_power(pw)
    c = power_comment_submit(
        power=power,
        kind="complaint",
        content="窗口要求提供清单以外的材料",
        contact="13905101234",
        name="张小明",
    )
    assert c.status == PowerCommentStatus.PENDING
    assert c.masked_contact == "139****1234" and c.masked_name == "张*明"
    with connection.cursor() as cur:
        cur.execute("SELECT contact, name FROM catalog_powercomment WHERE id = %s", [c.pk])
        raw_contact, raw_name = cur.fetchone()
    assert "13905101234" not in raw_contact and "张小明" not in raw_name
    entry = AuditEntry.objects.get(action="catalog.power_comment_submit")
    assert entry.actor_kind == "public" and "13905101234" not in entry.change
    assert audit_verify().ok


def test_comments_are_validated_and_rate_limited(pw, settings):
    power = add_power(pw)
    with pytest.raises(ValidationFailed) as exc:
        power_comment_submit(power=power, kind="rant", content="太", contact="abc")
    assert set(exc.value.fields) == {"kind", "content", "contact"}
    with pytest.raises(ValidationFailed):
        power_comment_submit(power=power, kind="comment", content="长" * 1001, contact="12345")
    power_comment_submit(power=power, kind="comment", content="建议增加网上预约", contact="a@b.cn")
    with pytest.raises(Conflict) as exc2:
        power_comment_submit(
            power=power, kind="comment", content="建议增加网上预约", contact="a@b.cn"
        )
    assert exc2.value.code == "comment_limit"
    settings.YIWANG_POWER_COMMENT_DAILY_LIMIT = 3
    for i in range(2):
        power_comment_submit(
            power=power, kind="comment", content=f"第{i}条意见内容", contact="a@b.cn"
        )
    with pytest.raises(Conflict) as exc3:
        power_comment_submit(
            power=power, kind="comment", content="第九条意见内容", contact="a@b.cn"
        )
    assert "24小时内最多提交3条" in exc3.value.message
    # another contact is not affected
    power_comment_submit(
        power=power, kind="comment", content="第九条意见内容", contact="0510-82345678"
    )


def test_secret_and_unpublished_powers_take_no_comments(pw):
    secret = add_power(pw, "XK-SECRET", secret=True)
    hidden = add_power(pw, "XK-HIDDEN", publish=False)
    for power in (secret, hidden):
        with pytest.raises(NotFound):
            power_comment_submit(
                actor=PUBLIC, power=power, kind="comment", content="有意见要提", contact="12345"
            )


def test_the_agency_replies(pw):
    """R4.6: the power's agency answers; another agency may not; answered
    comments are public without the contact."""
    power = add_power(pw)
    c = power_comment_submit(
        power=power, kind="comment", content="建议在流程图中注明预约方式", contact="13905109999"
    )
    assert power_public_comments(power) == []
    with pytest.raises(PermissionDenied):
        power_comment_reply(actor=pw.lx_editor, comment=c, reply="收到")
    with pytest.raises(PermissionDenied):
        power_comment_reply(actor=pw.reform, comment=c, reply="收到")
    with pytest.raises(ValidationFailed):
        power_comment_reply(actor=pw.editor, comment=c, reply=" ")
    assert [x.pk for x in power_comments_for_viewer(viewer=pw.editor)] == [c.pk]
    assert list(power_comments_for_viewer(viewer=pw.lx_editor)) == []
    c = power_comment_reply(actor=pw.editor, comment=c, reply="感谢建议，已在流程图说明中补充。")
    assert c.status == PowerCommentStatus.REPLIED and c.replied_by == pw.editor
    assert [x.pk for x in power_public_comments(power)] == [c.pk]
    assert list(power_comments_for_viewer(viewer=pw.editor)) == []  # nothing pending
    assert PowerComment.objects.get(pk=c.pk).reply.startswith("感谢")
    assert audit_verify().ok


@pytest.mark.parametrize(
    ("contact", "masked"),
    [
        ("13905101234", "139****1234"),
        ("0510-82345678", "051****5678"),
        ("zhang.san@example.com", "z***@example.com"),
        ("12345", "*****"),
    ],
)
def test_contacts_are_masked(contact, masked):
    assert mask_contact(contact) == masked
