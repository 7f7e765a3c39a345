from django.db import migrations, models


def opening_records_are_public(apps, schema_editor):
    # Issued before documents had the flag: opening records were always meant for everyone.
    apps.get_model("reports", "SignedDocument").objects.filter(kind="opening_record").update(public=True)


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="signeddocument",
            name="public",
            field=models.BooleanField(default=False, verbose_name="public"),
        ),
        migrations.RunPython(opening_records_are_public, migrations.RunPython.noop),
    ]
