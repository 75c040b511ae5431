# The webhooks' secrets, stored encrypted (realisa/webhooks/cipher.py) instead of in clear:
# a new column is filled from the old one, which is then dropped. Backwards, the secrets are
# decrypted into the old column again (it comes back with a default of "" so that a table
# with rows can take it, then loses that default).

from django.db import migrations, models

from realisa.webhooks.cipher import decrypt, encrypt


def encrypt_secrets(apps, schema_editor):
    Webhook = apps.get_model('webhooks', 'Webhook')
    for webhook in Webhook.objects.using(schema_editor.connection.alias).only('secret'):
        webhook.secret_ciphertext = encrypt(webhook.secret)
        webhook.save(update_fields=['secret_ciphertext'])


def decrypt_secrets(apps, schema_editor):
    Webhook = apps.get_model('webhooks', 'Webhook')
    for webhook in Webhook.objects.using(schema_editor.connection.alias).only('secret_ciphertext'):
        webhook.secret = decrypt(webhook.secret_ciphertext)
        webhook.save(update_fields=['secret'])


class Migration(migrations.Migration):

    dependencies = [
        ('webhooks', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='webhook',
            name='secret_ciphertext',
            field=models.TextField(default='', editable=False, verbose_name='secret chiffré'),
            preserve_default=False,
        ),
        migrations.RunPython(encrypt_secrets, decrypt_secrets),
        migrations.AlterField(
            model_name='webhook',
            name='secret',
            field=models.CharField(default='', max_length=200, verbose_name='secret'),
        ),
        migrations.RemoveField(
            model_name='webhook',
            name='secret',
        ),
    ]
