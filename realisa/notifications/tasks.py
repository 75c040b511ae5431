from celery import shared_task

from realisa.notifications.sending import deliver, send_due


@shared_task(ignore_result=True)
def deliver_email(email_id: int) -> None:
    deliver(email_id)


@shared_task(ignore_result=True)
def send_due_emails() -> None:
    send_due()
