"""Signed scans and attendance sheets keep the SHA-256 they had when stored, as versions
do. The files already stored get theirs now, read through the storage; a file missing
from the storage keeps an empty one, which ``verify_audit_chain`` reports."""

from typing import Any

from django.db import migrations, models

from realisa.lib.digests import stored_sha256


def fill_sha256(apps: Any, schema_editor: Any) -> None:
    alias = schema_editor.connection.alias
    for model, file_field, sha_field in (
        ("Certificate", "signed_scan", "signed_scan_sha256"),
        ("AttendanceSheet", "file", "sha256"),
    ):
        rows = apps.get_model("certificates", model).objects.using(alias)
        stored = rows.exclude(**{file_field: ""}).values_list("pk", file_field)
        for pk, name in list(stored):
            digest = stored_sha256(name)
            if digest:
                rows.filter(pk=pk).update(**{sha_field: digest})


class Migration(migrations.Migration):
    dependencies = [("certificates", "0006_delete_certificationevidence")]

    operations = [
        migrations.AddField(
            model_name="attendancesheet",
            name="sha256",
            field=models.CharField(blank=True, max_length=64, verbose_name="empreinte SHA-256"),
        ),
        migrations.AddField(
            model_name="certificate",
            name="signed_scan_sha256",
            field=models.CharField(
                blank=True, max_length=64, verbose_name="empreinte SHA-256 du certificat signé"
            ),
        ),
        migrations.RunPython(fill_sha256, migrations.RunPython.noop),
    ]
