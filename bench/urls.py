from django.http import HttpRequest, HttpResponse
from django.urls import path

from realisa.urls import urlpatterns as portal


def minimal(request: HttpRequest) -> HttpResponse:
    """The baseline: Django's whole middleware stack, no query, no template."""
    return HttpResponse("ok")


urlpatterns = [path("bench/minimal/", minimal), *portal]
