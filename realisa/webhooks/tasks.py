from celery import shared_task

from realisa.webhooks.sending import deliver, send_due


@shared_task(ignore_result=True)
def deliver_webhook(delivery_id: int) -> None:
    deliver(delivery_id)


@shared_task(ignore_result=True)
def send_due_webhooks() -> None:
    send_due()
