from celery import shared_task

from realisa.webhooks.sending import deliver


@shared_task(ignore_result=True)
def deliver_webhook(delivery_id: int) -> None:
    deliver(delivery_id)
