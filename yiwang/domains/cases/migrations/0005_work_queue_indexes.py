"""Indexes for the work queues at province scale (issue 6, BENCHMARKS.md):
one partial index per queue in that queue's order (待受理 by submission,
待补正 by last change, 审查中 / 即将超时 / 已超时 by promised date), so a
page stops after 20 index entries and a count reads the index alone; the
active step of each case by role and holder, which the 审查中 queue probes
once per candidate case; and the agency's cases newest first without
drafts, so case_search's count needs no table read. The queue conditions
are ORed equalities (status = a OR status = b): in that form SQLite sees that
a query with bound values implies them (inside an IN list it does not)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_case_search_and_deadline_indexes"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="case",
            name="case_agency_submitted",
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("status", "draft"), _negated=True),
                fields=["agency", "submitted_at", "id"],
                name="case_agency_submitted_nd",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(
                    ("status", "submitted"), ("status", "prereviewed"), _connector="OR"
                ),
                fields=["agency", "submitted_at", "id"],
                name="case_queue_intake",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(
                    ("status", "correcting"), ("status", "supplementing"), _connector="OR"
                ),
                fields=["agency", "updated_at", "id"],
                name="case_queue_correcting",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("status", "handling"), ("status", "decided"), _connector="OR"),
                fields=["agency", "promised_due", "id"],
                name="case_queue_running",
            ),
        ),
        migrations.AddIndex(
            model_name="casestep",
            index=models.Index(
                condition=models.Q(("status", "active")),
                fields=["case", "role_code", "assignee"],
                name="step_active_by_case",
            ),
        ),
    ]
