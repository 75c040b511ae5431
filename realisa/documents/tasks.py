from datetime import date

from celery import shared_task

from realisa.documents import batch


@shared_task(ignore_result=True, acks_late=True)
def generate_pdf_chunk(certificate_ids: list[int]) -> int:
    return batch.generate_chunk(certificate_ids)


@shared_task(ignore_result=True)
def generate_month_pdfs(month_iso: str) -> int:
    """The month-start batch as a task (Celery beat can run it on the 1st)."""
    return batch.run(date.fromisoformat(month_iso))
