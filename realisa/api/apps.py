from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "realisa.api"
    label = "api"
    verbose_name = "API REST"
