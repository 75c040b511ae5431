from django.apps import AppConfig


class DemoConfig(AppConfig):
    verbose_name = "Démonstration"
    name = "realisa.demo"
    label = "demo"
