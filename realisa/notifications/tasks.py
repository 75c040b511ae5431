from celery import shared_task

from realisa.notifications.sending import deliver


@shared_task(ignore_result=True)
def deliver_email(email_id: int) -> None:
    deliver(email_id)
