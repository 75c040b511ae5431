"""Celery: a real broker (Redis) at scale; tasks run eagerly when no broker is set."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "realisa.settings")

app = Celery("realisa")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
