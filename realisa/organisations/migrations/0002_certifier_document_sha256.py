"""KBIS and consent letters keep the SHA-256 they had when stored. The files already
stored get theirs now, read through the storage; a file missing from the storage keeps an
empty one, which ``verify_audit_chain`` reports."""

from typing import Any

from django.db import migrations, models

from realisa.lib.digests import stored_sha256


def fill_sha256(apps: Any, schema_editor: Any) -> None:
    documents = apps.get_model("organisations", "CertifierDocument").objects.using(
        schema_editor.connection.alias
    )
    for pk, name in list(documents.exclude(file="").values_list("pk", "file")):
        digest = stored_sha256(name)
        if digest:
            documents.filter(pk=pk).update(sha256=digest)


class Migration(migrations.Migration):
    dependencies = [("organisations", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="certifierdocument",
            name="sha256",
            field=models.CharField(blank=True, max_length=64, verbose_name="empreinte SHA-256"),
        ),
        migrations.RunPython(fill_sha256, migrations.RunPython.noop),
    ]
