from celery import shared_task
from django.utils import timezone

from realisa.funder import reminders


@shared_task(ignore_result=True)
def send_reminders() -> None:
    reminders.send_reminders(timezone.localdate())
