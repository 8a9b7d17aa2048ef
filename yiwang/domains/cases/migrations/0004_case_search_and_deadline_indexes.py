"""Indexes found with the issue 6 benchmarks (BENCHMARKS.md): an agency's
cases newest first (case_search); the open cases whose clock runs, by due
date, for the supervision scan (cases_near_deadline; partial, and keyed on
clock_paused so the agency queues keep using case_queue); and no index on
promised_due alone, which lured the planner into walking all cases by date
for an agency's overdue queue (1.4 s at 500,000 cases on PostgreSQL)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0003_material_trust_levels"),
    ]

    operations = [
        migrations.AlterField(
            model_name="case",
            name="promised_due",
            field=models.DateField(blank=True, null=True, verbose_name="承诺截止日"),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=["agency", "submitted_at", "id"], name="case_agency_submitted"
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(
                    ("clock_paused", False), ("status__in", ["handling", "decided"])
                ),
                fields=["promised_due"],
                name="case_open_promised_due",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(
                    ("clock_paused", False), ("status__in", ["handling", "decided"])
                ),
                fields=["statutory_due"],
                name="case_open_statutory_due",
            ),
        ),
    ]
