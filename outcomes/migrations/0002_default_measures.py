"""The outcome KPIs of seed 001: NPS, customer retention, upsell and cost to serve. HR adds
more, or switches these off, in the admin."""

from django.db import migrations

# (position, name nl, name en, unit nl, unit en, higher is better)
MEASURES = [
    (1, "NPS", "NPS", "punten", "points", True),
    (2, "Klantbehoud", "Customer retention", "%", "%", True),
    (3, "Upsell-omzet", "Upsell revenue", "€", "€", True),
    (4, "Kosten per klant", "Cost per customer", "€", "€", False),
]


def add_measures(apps, schema_editor):
    OutcomeMeasure = apps.get_model("outcomes", "OutcomeMeasure")
    for position, name_nl, name_en, unit_nl, unit_en, higher in MEASURES:
        OutcomeMeasure.objects.get_or_create(
            name_nl=name_nl,
            defaults={
                "name_en": name_en,
                "unit_nl": unit_nl,
                "unit_en": unit_en,
                "higher_is_better": higher,
                "position": position,
            },
        )


def remove_measures(apps, schema_editor):
    OutcomeMeasure = apps.get_model("outcomes", "OutcomeMeasure")
    OutcomeMeasure.objects.filter(
        name_nl__in=[name for _, name, *_rest in MEASURES], values__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("outcomes", "0001_initial")]

    operations = [migrations.RunPython(add_measures, remove_measures)]
