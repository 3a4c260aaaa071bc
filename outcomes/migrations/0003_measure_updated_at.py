import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("outcomes", "0002_default_measures")]

    operations = [
        migrations.AddField(
            model_name="outcomemeasure",
            name="updated_at",
            field=models.DateTimeField(
                auto_now=True, default=django.utils.timezone.now, verbose_name="changed at"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="historicaloutcomemeasure",
            name="updated_at",
            field=models.DateTimeField(
                blank=True,
                default=django.utils.timezone.now,
                editable=False,
                verbose_name="changed at",
            ),
            preserve_default=False,
        ),
    ]
