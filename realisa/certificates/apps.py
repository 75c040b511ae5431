from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CertificatesConfig(AppConfig):
    verbose_name = "Certificats de réalisation"
    name = "realisa.certificates"
    label = "certificates"

    def ready(self) -> None:
        # Imported here, once the models are: connects the receivers that keep the months'
        # summary up to date; after ``migrate``, the dossiers of an older database get theirs.
        from realisa.certificates import month_summary

        post_migrate.connect(
            month_summary.summarise_after_migrate, sender=self, dispatch_uid="summary_migrate"
        )
