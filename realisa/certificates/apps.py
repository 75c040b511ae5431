from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    verbose_name = "Certificats de réalisation"
    name = "realisa.certificates"
    label = "certificates"
