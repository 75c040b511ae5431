"""The « Boîte mail de démonstration »: in demo mode only, every e-mail the portal sent."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from realisa.notifications.models import OutboxEmail


def _demo_only() -> None:
    if not settings.DEMO_MODE:
        raise Http404


def mailbox(request: HttpRequest) -> HttpResponse:
    _demo_only()
    recipient = request.GET.get("a", "").strip()[:200]
    emails = OutboxEmail.objects.all()
    if recipient:
        emails = emails.filter(to__icontains=recipient)
    page = Paginator(emails, 25).get_page(request.GET.get("page"))
    return render(request, "demo/mailbox.html", {"page": page, "recipient": recipient})


def mailbox_email(request: HttpRequest, pk: int) -> HttpResponse:
    _demo_only()
    email = get_object_or_404(OutboxEmail, pk=pk)
    return render(request, "demo/mailbox_email.html", {"email": email})
