"""Each audience of the opening room numbers its own events (issue 14: nobody may count events it
cannot see). Existing events get their stream and their number within it, in room order."""

from django.db import migrations, models


def stream_of(audience: str, key: str) -> str:
    return f"{audience}.{key}" if audience in ("custodian", "bidder") else audience


def number_streams(apps, schema_editor):
    CeremonyEvent = apps.get_model("bidding", "CeremonyEvent")
    counters: dict[tuple[int, str], int] = {}
    for event in CeremonyEvent.objects.order_by("room_id", "sequence").iterator():
        stream = stream_of(event.audience, event.audience_key)
        number = counters.get((event.room_id, stream), 0) + 1
        counters[(event.room_id, stream)] = number
        CeremonyEvent.objects.filter(pk=event.pk).update(stream=stream, stream_sequence=number)


class Migration(migrations.Migration):
    dependencies = [("bidding", "0003_ceremony")]

    operations = [
        migrations.AddField(
            model_name="ceremonyevent",
            name="stream",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="ceremonyevent",
            name="stream_sequence",
            field=models.PositiveBigIntegerField(default=0),
            preserve_default=False,
        ),
        migrations.RunPython(number_streams, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="ceremonyevent",
            constraint=models.UniqueConstraint(
                fields=("room", "stream", "stream_sequence"), name="ceremony_event_stream_sequence_unique"
            ),
        ),
    ]
