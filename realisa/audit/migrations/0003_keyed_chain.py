"""The chain becomes keyed (HMAC-SHA256, ``audit.keys``). The events already written stay
as they are (the log is append-only); if there are any, one « audit.chain_keyed » event,
made with the current key, is appended: it links to the unkeyed chain's last hash and
names it, with the unkeyed events' count and what the chain's head then said, so that
rewriting any earlier event would break it. Run once, on ``migrate``: an empty chain, or
one already keyed, gets nothing."""

from typing import Any

from django.db import migrations, models
from django.utils import timezone

from realisa.audit.hashing import CHAIN_KEYED, head_seal, keyed_hash
from realisa.audit.keys import current_key


def key_the_chain(apps: Any, schema_editor: Any) -> None:
    alias = schema_editor.connection.alias
    events = apps.get_model("audit", "AuditEvent").objects.using(alias)
    heads = apps.get_model("audit", "AuditChainHead").objects.using(alias)
    last = events.order_by("-id").first()
    if last is None or last.key_id:
        return
    head = heads.filter(pk=1).first()
    key = current_key()
    bridge = events.model(
        created_at=timezone.now(),
        action=CHAIN_KEYED,
        payload={
            "unkeyed_head": last.hash,
            "unkeyed_events": events.count(),
            "head_row": head.last_hash if head is not None else "",
        },
        prev_hash=last.hash,
        key_id=key.id,
    )
    bridge.hash = keyed_hash(bridge, key)
    bridge.save(using=alias)
    heads.update_or_create(
        pk=1, defaults={"last_hash": bridge.hash, "seal": head_seal(bridge.hash, key)}
    )


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_connection_event")]

    operations = [
        migrations.AddField(
            model_name="auditchainhead",
            name="seal",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="key_id",
            field=models.CharField(blank=True, max_length=16, verbose_name="clé"),
        ),
        migrations.RunPython(key_the_chain, migrations.RunPython.noop),
    ]
