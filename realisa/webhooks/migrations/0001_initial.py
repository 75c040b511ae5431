# Webhook and WebhookDelivery, moved here from the app api: Django's state learns them
# with db_table set to the tables api.0001_initial created, so no table is created,
# renamed or dropped and every row stays. Their content types follow them (api →
# webhooks), so their permissions keep their ids.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

MODELS = ('webhook', 'webhookdelivery')


def relabel(apps, schema_editor, old, new):
    ContentType = apps.get_model('contenttypes', 'ContentType')
    rows = ContentType.objects.using(schema_editor.connection.alias)
    for model in MODELS:
        if not rows.filter(app_label=new, model=model).exists():
            rows.filter(app_label=old, model=model).update(app_label=new)


def forwards(apps, schema_editor):
    relabel(apps, schema_editor, 'api', 'webhooks')


def backwards(apps, schema_editor):
    relabel(apps, schema_editor, 'webhooks', 'api')


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('api', '0002_webhooks_move_to_their_app'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('organisations', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Webhook',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('url', models.URLField(max_length=500, verbose_name='adresse')),
                        ('secret', models.CharField(max_length=200, verbose_name='secret')),
                        ('events', models.JSONField(default=list, verbose_name='événements')),
                        ('is_active', models.BooleanField(default=True, verbose_name='actif')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='créé le')),
                        ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('organisation', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='webhooks', to='organisations.organisation')),
                    ],
                    options={
                        'verbose_name': 'webhook',
                        'db_table': 'api_webhook',
                        'ordering': ['-created_at', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='WebhookDelivery',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('event', models.CharField(max_length=40, verbose_name='événement')),
                        ('payload', models.JSONField()),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='créé le')),
                        ('status', models.CharField(choices=[('pending', "En attente d'envoi"), ('sending', 'Envoi en cours'), ('delivered', 'Remis'), ('failed', 'Abandonné')], default='pending', max_length=10)),
                        ('attempts', models.PositiveIntegerField(default=0, verbose_name='tentatives')),
                        ('next_attempt_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('claimed_at', models.DateTimeField(blank=True, null=True)),
                        ('delivered_at', models.DateTimeField(blank=True, null=True)),
                        ('last_status_code', models.PositiveIntegerField(blank=True, null=True)),
                        ('last_error', models.TextField(blank=True)),
                        ('webhook', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='deliveries', to='webhooks.webhook')),
                    ],
                    options={
                        'verbose_name': 'envoi de webhook',
                        'verbose_name_plural': 'envois de webhook',
                        'db_table': 'api_webhookdelivery',
                        'ordering': ['-created_at', '-id'],
                        'indexes': [models.Index(fields=['status', 'next_attempt_at'], name='api_webhook_status_5921e6_idx')],
                        'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('status', 'delivered'), _negated=True), ('delivered_at__isnull', False), _connector='OR'), name='webhook_delivered_has_time')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
