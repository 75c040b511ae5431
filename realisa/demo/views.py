"""The « Boîte mail de démonstration »: in demo mode only, every e-mail the portal sent.

It shows codes and password links to whoever reads it, without a login: it answers only
the machine itself (a loopback client, as ``client_ip`` sees it behind a proxy too), and
the system check ``demo.E001`` refuses the demo mode on a host others can reach."""

import ipaddress

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from realisa.lib.client_ip import client_ip
from realisa.notifications.models import OutboxEmail


def _demo_only(request: HttpRequest) -> None:
    ip = client_ip(request)
    if not settings.DEMO_MODE or ip is None or not ipaddress.ip_address(ip).is_loopback:
        raise Http404


def mailbox(request: HttpRequest) -> HttpResponse:
    _demo_only(request)
    recipient = request.GET.get("a", "").strip()[:200]
    emails = OutboxEmail.objects.all()
    if recipient:
        emails = emails.filter(to__icontains=recipient)
    page = Paginator(emails, 25).get_page(request.GET.get("page"))
    return render(request, "demo/mailbox.html", {"page": page, "recipient": recipient})


def mailbox_email(request: HttpRequest, pk: int) -> HttpResponse:
    _demo_only(request)
    email = get_object_or_404(OutboxEmail, pk=pk)
    return render(request, "demo/mailbox_email.html", {"email": email})
