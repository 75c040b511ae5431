"""Webhooks moved from the app ``api`` to their own app ``webhooks``: migrating a database
filled by ``seed_demo`` keeps every table and every row (``api.0002`` and
``webhooks.0001`` change Django's state only; the content types follow the models)."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from realisa.webhooks.models import Webhook, WebhookDelivery

BEFORE = [("webhooks", None), ("api", "0001_initial")]  # the webhooks still in api
SECRET_COLUMNS = {"secret", "secret_ciphertext"}


def every_row() -> dict[str, list[dict[str, Any]]]:
    """Each table's rows in primary-key order, read with SQL (the tables are the same before
    and after the move), content types aside (their label moves) and the webhook's secret
    aside (webhooks.0002 encrypts it into another column: it is compared apart). A table
    that a later migration of ``api`` makes (``api_hoursimportcall``) is not there before."""
    quote = connection.ops.quote_name
    tables = set(connection.introspection.table_names())
    rows = {}
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            if not model._meta.managed or model._meta.proxy or model is ContentType:
                continue
            if model._meta.db_table not in tables:
                continue
            table, pk = model._meta.db_table, model._meta.pk.column
            cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY {quote(pk)}")  # noqa: S608
            names = [column[0] for column in cursor.description]
            rows[table] = [
                {
                    name: value
                    for name, value in zip(names, row, strict=True)
                    if name not in SECRET_COLUMNS
                }
                for row in cursor.fetchall()
            ]
    return rows


def migrated(executor: MigrationExecutor, targets: list[tuple[str, str | None]]) -> None:
    executor.migrate(targets)
    executor.loader.build_graph()  # the executor's view of what is applied, read again


@pytest.mark.django_db(transaction=True)
def test_moving_the_webhooks_to_their_app_keeps_every_row() -> None:
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    call_command("seed_demo", i_know_this_is_not_production=True, verbosity=0)  # today's code
    migrated(executor, BEFORE)
    old = executor.loader.project_state(BEFORE[1]).apps  # the models as api had them
    organisation = old.get_model("organisations", "Organisation").objects.order_by("pk").first()
    webhook = old.get_model("api", "Webhook").objects.create(
        organisation_id=organisation.pk,
        url="https://logiciel.example/realisa",
        secret="s" * 32,
        events=["certificate.certified"],
    )
    delivery = old.get_model("api", "WebhookDelivery").objects.create(
        webhook=webhook, event="certificate.certified", payload={"id": "whd_1"}
    )
    old_content_types = ContentType.objects.filter(app_label="api", model__startswith="webhook")
    content_type_ids = sorted(old_content_types.values_list("pk", flat=True))
    before = every_row()

    migrated(executor, latest)

    after = every_row()
    assert {table: after[table] for table in before} == before
    filled = {table for table, rows in before.items() if rows}
    assert {"api_webhook", "api_webhookdelivery", "certificates_certificate"} <= filled
    found = WebhookDelivery.objects.select_related("webhook").get(pk=delivery.pk)
    assert (found.webhook.pk, found.webhook.url) == (webhook.pk, webhook.url)
    assert (found.event, found.payload, found.status) == (
        delivery.event,
        {"id": "whd_1"},
        "pending",
    )
    assert Webhook.objects.get(pk=webhook.pk).organisation_id == organisation.pk
    assert Webhook.objects.get(pk=webhook.pk).secret == "s" * 32
    moved = ContentType.objects.filter(pk__in=content_type_ids)
    assert len(content_type_ids) == 2
    assert set(moved.values_list("app_label", flat=True)) == {"webhooks"}
