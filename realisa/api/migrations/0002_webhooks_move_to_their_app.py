# Webhook and WebhookDelivery moved to the app realisa.webhooks. Only Django's state
# forgets them here: their tables (api_webhook, api_webhookdelivery) and rows stay, and
# webhooks.0001_initial takes them over under the same names.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('api', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='WebhookDelivery'),
                migrations.DeleteModel(name='Webhook'),
            ],
            database_operations=[],
        ),
    ]
