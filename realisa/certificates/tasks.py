"""The month-start batch's Celery tasks, and ``queue_month`` which sends them."""

from datetime import date

from celery import shared_task

from realisa.certificates import answer, batch


@shared_task(ignore_result=True, acks_late=True)
def generate_pdf_chunk(certificate_ids: list[int]) -> int:
    return batch.generate_chunk(certificate_ids)


@shared_task(ignore_result=True)
def generate_month_pdfs(month_iso: str) -> int:
    """The month-start batch as a task (Celery beat can run it on the 1st)."""
    return queue_month(date.fromisoformat(month_iso))


@shared_task(ignore_result=True)
def close_unanswered_months() -> None:
    """Beat's hourly run: remind the beneficiaries, validate the months past the deadline."""
    answer.close_unanswered_months()


def queue_month(month: date) -> int:
    """Queue one task per chunk of the month's missing PDFs; return how many are queued.
    Without a broker the tasks run here, one after the other."""
    ids = batch.missing(month)
    for chunk in batch.chunks(ids):
        generate_pdf_chunk.delay(chunk)
    return len(ids)
