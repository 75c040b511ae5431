import logging

from celery import shared_task
from django.utils import timezone

from realisa.funder import reminders
from realisa.funder.integrity import CheckpointRefused, write_verified_checkpoint

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def send_reminders() -> None:
    reminders.send_reminders(timezone.localdate())


@shared_task(ignore_result=True)
def write_audit_checkpoint(email: bool = False) -> None:
    """The daily checkpoint of the audit chain; a chain that does not verify gets none,
    and the refusal is logged as an error for the operators to see."""
    try:
        write_verified_checkpoint(email=email)
    except CheckpointRefused as refused:
        logger.error("%s", refused.message)
