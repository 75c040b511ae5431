from django.apps import AppConfig
from django.core import checks

from realisa.demo.checks import demo_on_local_hosts_only


class DemoConfig(AppConfig):
    verbose_name = "Démonstration"
    name = "realisa.demo"
    label = "demo"

    def ready(self) -> None:
        checks.register(demo_on_local_hosts_only, checks.Tags.security)
