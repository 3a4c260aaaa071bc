"""Memberships get a period, so that a move ends one and history stays; assessments are
protected from the deletion of the people in them.

Existing memberships start on the day they were created where their history records it
(memberships made through the admin); imported ones (bulk-created, no history) start today.
"""

from collections import defaultdict

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def start_when_created(apps, schema_editor):
    Membership = apps.get_model("assessments", "Membership")
    HistoricalMembership = apps.get_model("assessments", "HistoricalMembership")
    created = (
        HistoricalMembership.objects.filter(history_type="+")
        .values("id")
        .annotate(first=models.Min("history_date"))
    )
    by_day = defaultdict(list)
    for row in created:
        by_day[django.utils.timezone.localdate(row["first"])].append(row["id"])
    for day, ids in by_day.items():
        for start in range(0, len(ids), 500):
            batch = ids[start : start + 500]
            Membership.objects.filter(id__in=batch).update(started_on=day)
            HistoricalMembership.objects.filter(id__in=batch).update(started_on=day)


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0003_round_closed_at"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="membership",
            name="membership_unique_person",
        ),
        migrations.AddField(
            model_name="historicalmembership",
            name="ended_on",
            field=models.DateField(
                blank=True,
                help_text="The first day the person is no longer in the team; empty while they are.",
                null=True,
                verbose_name="left the team on",
            ),
        ),
        migrations.AddField(
            model_name="historicalmembership",
            name="started_on",
            field=models.DateField(
                default=django.utils.timezone.localdate, verbose_name="in the team from"
            ),
        ),
        migrations.AddField(
            model_name="membership",
            name="ended_on",
            field=models.DateField(
                blank=True,
                help_text="The first day the person is no longer in the team; empty while they are.",
                null=True,
                verbose_name="left the team on",
            ),
        ),
        migrations.AddField(
            model_name="membership",
            name="started_on",
            field=models.DateField(
                default=django.utils.timezone.localdate, verbose_name="in the team from"
            ),
        ),
        migrations.AlterField(
            model_name="assessment",
            name="assessor",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="assessments_given",
                to=settings.AUTH_USER_MODEL,
                verbose_name="assessor",
            ),
        ),
        migrations.AlterField(
            model_name="assessment",
            name="subject",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="assessments_received",
                to=settings.AUTH_USER_MODEL,
                verbose_name="assessed person",
            ),
        ),
        migrations.AddConstraint(
            model_name="membership",
            constraint=models.UniqueConstraint(
                condition=models.Q(("ended_on__isnull", True)),
                fields=("person", "team"),
                name="membership_unique_open",
                violation_error_message="This person is already in this team.",
            ),
        ),
        migrations.AddConstraint(
            model_name="membership",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("ended_on__isnull", True),
                    ("ended_on__gte", models.F("started_on")),
                    _connector="OR",
                ),
                name="membership_ends_after_start",
                violation_error_message="A membership cannot end before it starts.",
            ),
        ),
        # Last, after the schema changes: PostgreSQL refuses to alter a table with pending
        # trigger events from updates in the same transaction.
        migrations.RunPython(start_when_created, migrations.RunPython.noop),
    ]
