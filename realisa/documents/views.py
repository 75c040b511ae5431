from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Max, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods

from realisa.documents import ratelimit
from realisa.documents.files import download_name
from realisa.documents.forms import VerificationForm
from realisa.documents.models import CertificateVersion
from realisa.documents.sealing import verify_pdf
from realisa.documents.services import (
    normalise_reference,
    version_by_content,
    version_by_reference,
)
from realisa.lib.files import serve_private_file


def _visible_versions(request: HttpRequest, pk: int) -> QuerySet[CertificateVersion]:
    """The versions of certificate ``pk`` that the user may see, latest first; none for an
    outsider, who thus gets a 404 as for a certificate that does not exist."""
    versions = CertificateVersion.objects.visible_to(request.user).filter(certificate__pk=pk)
    return versions.select_related("certificate__dossier").order_by("-number")


@login_required
def download_latest(request: HttpRequest, pk: int) -> FileResponse:
    """The certificate's PDF as it stands: its latest version."""
    version = _visible_versions(request, pk).first()
    if version is None:
        raise Http404("Ce certificat n'a pas encore de PDF.")
    return serve_private_file(version.file, download_name(version))


@login_required
def download_version(request: HttpRequest, pk: int) -> FileResponse:
    """One version from the certificate's history, as it was issued."""
    version = get_object_or_404(
        CertificateVersion.objects.visible_to(request.user).select_related("certificate__dossier"),
        pk=pk,
    )
    return serve_private_file(version.file, download_name(version, numbered=True))


@login_required
def history(request: HttpRequest, pk: int) -> HttpResponse:
    versions = list(_visible_versions(request, pk).select_related("created_by"))
    if not versions:
        raise Http404("Ce certificat n'a pas encore de PDF.")
    context = {"certificate": versions[0].certificate, "versions": versions}
    return render(request, "documents/history.html", context)


def _too_many(request: HttpRequest, form: VerificationForm) -> HttpResponse:
    context = {"form": form, "rate_limited": ratelimit.MESSAGE}
    return render(request, "documents/verify.html", context, status=429)


def _result(version: CertificateVersion | None) -> dict[str, Any]:
    if version is None:
        return {"version": None}
    latest = version.certificate.versions.aggregate(Max("number"))["number__max"]
    newer = version.certificate.versions.filter(number=latest).first()
    return {"version": version, "newer": newer if latest != version.number else None}


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Public: is this reference, or this exact file, a certificate the portal issued?"""
    if request.method != "POST":
        return render(request, "documents/verify.html", {"form": VerificationForm()})
    form = VerificationForm(request.POST, request.FILES)
    if not ratelimit.allow_lookup(request):
        return _too_many(request, form)
    if not form.is_valid():
        return render(request, "documents/verify.html", {"form": form}, status=400)
    uploaded = form.cleaned_data["file"]
    if uploaded is not None:
        content = uploaded.read()
        version = version_by_content(content)
        seal = verify_pdf(content)  # the cryptographic check of its seal, if it has one
        context = {"form": form, "checked_file": True, "seal": seal, **_result(version)}
    else:
        reference = normalise_reference(form.cleaned_data["reference"])
        context = {"form": form, "reference": reference, **_result(version_by_reference(reference))}
    return render(request, "documents/verify.html", context)


@require_http_methods(["GET"])
def verify_reference(request: HttpRequest, reference: str) -> HttpResponse:
    """Public, where the QR code leads: what was issued under this reference."""
    normalised = normalise_reference(reference)
    form = VerificationForm(initial={"reference": normalised})
    if not ratelimit.allow_lookup(request):
        return _too_many(request, form)
    context = {"form": form, "reference": normalised, **_result(version_by_reference(normalised))}
    return render(request, "documents/verify.html", context)
