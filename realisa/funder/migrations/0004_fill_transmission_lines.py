# The lines written before corrections existed: the hours each one carried, read from its
# batch's JSON file as it was sent (the certificate may have changed since, in a cancelled
# batch), and its reference (the dossier, the month and the month's n-th line).

import json
from collections import Counter

from django.db import migrations

FIELDS = ["centre_minutes", "internship_minutes", "absence_minutes", "reference"]


def sent_hours(json_data):
    """(dossier, « AAAA-MM ») → the three minute totals, as the file carried them."""
    document = json.loads(bytes(json_data) or b"{}")
    return {
        (month["dossier"], month["month"]): (
            month["centre_minutes"],
            month["internship_minutes"],
            month["absence_minutes"],
        )
        for month in document.get("months", [])
    }


def fill_lines(apps, schema_editor):
    """Batch by batch, in the order they were written: a month's n-th line is its n-th."""
    Transmission = apps.get_model("funder", "Transmission")
    TransmissionLine = apps.get_model("funder", "TransmissionLine")
    nth = Counter()
    for transmission in Transmission.objects.only("pk", "json_data").order_by("pk").iterator():
        sent = sent_hours(transmission.json_data)
        lines = list(
            TransmissionLine.objects.filter(transmission_id=transmission.pk)
            .select_related("certificate__dossier")
            .order_by("pk")
        )
        for line in lines:
            certificate = line.certificate
            number, month = certificate.dossier.number, f"{certificate.month:%Y-%m}"
            nth[certificate.pk] += 1
            hours = sent.get((number, month)) or (
                certificate.centre_minutes,
                certificate.internship_minutes,
                certificate.absence_minutes,
            )
            line.centre_minutes, line.internship_minutes, line.absence_minutes = hours
            line.reference = f"{number}/{month}/{nth[certificate.pk]}"
        TransmissionLine.objects.bulk_update(lines, FIELDS, batch_size=1000)


class Migration(migrations.Migration):

    dependencies = [
        ("funder", "0003_transmission_line_hours"),
    ]

    operations = [
        migrations.RunPython(fill_lines, migrations.RunPython.noop),
    ]
