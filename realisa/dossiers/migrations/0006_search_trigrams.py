"""Trigram indexes for the dossier search on PostgreSQL (``dossiers.search``): a search types
part of a name or number, which Django asks as ``UPPER(column) LIKE UPPER('%word%')``; a
GIN index of the column's upper-cased trigrams answers it without reading every row (the
beneficiaries' 100,000 names at national scale: 130 ms read, about 1 ms from the index).

Written out, because Django's ``GinIndex`` would be created on SQLite too, which has no such
index; SQLite, the embedded default, reads its few rows. ``pg_trgm`` is a trusted extension:
the database's owner may create it."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEXES = {
    "dossier_number_trigrams": ("dossiers_dossier", "number"),
    "beneficiary_last_name_trigrams": ("dossiers_beneficiary", "last_name"),
    "beneficiary_first_name_trigrams": ("dossiers_beneficiary", "first_name"),
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, (table, column) in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (UPPER({column}) gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0005_dossier_life")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
