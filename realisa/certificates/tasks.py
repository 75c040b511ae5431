"""The month-start batch's Celery tasks, and ``queue_month`` which sends them; and
« Certifier en lot »'s task (defined beside its rules), imported here for the worker."""

from datetime import date

from celery import shared_task

from realisa.certificates import batch
from realisa.certificates.batch_certification import certify_batch as certify_batch


# Acknowledged once done, handed back if its process dies: a chunk interrupted half-way is
# run again, and makes only the PDFs still missing (batch.generate_chunk).
@shared_task(ignore_result=True, acks_late=True, reject_on_worker_lost=True)
def generate_pdf_chunk(certificate_ids: list[int]) -> int:
    return batch.generate_chunk(certificate_ids)


def queue_month(month: date) -> int:
    """Queue one task per chunk of the month's missing PDFs; return how many are queued.
    Without a broker the tasks run here, one after the other."""
    ids = batch.missing(month)
    for chunk in batch.chunks(ids):
        generate_pdf_chunk.delay(chunk)
    return len(ids)
