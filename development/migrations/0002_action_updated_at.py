import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("development", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="action",
            name="updated_at",
            field=models.DateTimeField(
                auto_now=True, default=django.utils.timezone.now, verbose_name="changed at"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="historicalaction",
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
