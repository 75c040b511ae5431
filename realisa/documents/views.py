from __future__ import annotations

from typing import Any

from asn1crypto import pem
from cryptography import x509
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from realisa.choices import SHARED_STATUSES
from realisa.documents import ratelimit
from realisa.documents.files import download_name, evidence_download_name
from realisa.documents.forms import VerificationForm
from realisa.documents.models import CertificateVersion, CertificationEvidence
from realisa.documents.offline_check import check_certificate, payload_in_photo
from realisa.documents.qr_payload import PayloadError
from realisa.documents.sealing_keys import seal_keys
from realisa.documents.services import (
    normalise_reference,
    version_by_content,
    version_by_reference,
)
from realisa.lib.files import serve_private_file
from realisa.lib.french import french_date


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
def download_evidence(request: HttpRequest, pk: int) -> FileResponse:
    """The full « dossier de preuve » of a version, sealed: the organisation's members and
    the funder's agents only; anyone else gets a 404, as for one that does not exist."""
    evidence = get_object_or_404(
        CertificationEvidence.objects.visible_to(request.user)
        .exclude(file="")
        .select_related("certificate__dossier", "version"),
        pk=pk,
    )
    return serve_private_file(evidence.file, evidence_download_name(evidence))


@login_required
def history(request: HttpRequest, pk: int) -> HttpResponse:
    versions = list(_visible_versions(request, pk).select_related("created_by"))
    if not versions:
        raise Http404("Ce certificat n'a pas encore de PDF.")
    full_evidence = dict(
        CertificationEvidence.objects.visible_to(request.user)
        .filter(certificate__pk=pk)
        .exclude(file="")
        .values_list("version_id", "pk")
    )  # each version's full evidence, for those who may read it
    context = {
        "certificate": versions[0].certificate,
        "versions": versions,
        "rows": [  # latest first: each version was replaced by the one listed before it
            (version, full_evidence.get(version.pk), replaced_by(newer) if newer else "")
            for version, newer in zip(versions, [None, *versions], strict=False)
        ],
        "full_evidence_column": bool(full_evidence),
    }
    return render(request, "documents/history.html", context)


def _too_many(request: HttpRequest, form: VerificationForm) -> HttpResponse:
    context = {"form": form, "rate_limited": ratelimit.MESSAGE}
    return render(request, "documents/verify.html", context, status=429)


def replaced_by(newer: CertificateVersion) -> str:
    """« Remplacé par la version 3 du 2 avril 2026 »: what a superseded version says."""
    day = timezone.localdate(newer.created_at)
    return f"Remplacé par la version {newer.number} du {french_date(day)}"


def superseded(version: CertificateVersion) -> str:
    """What the verification page says of a version that is no longer the latest: the
    version that replaced it, and which one is the reference now."""
    later = list(version.certificate.versions.filter(number__gt=version.number).order_by("number"))
    if not later:
        return ""
    successor, latest = later[0], later[-1]
    if latest == successor:
        return f"{replaced_by(successor)} : c'est elle qui fait foi."
    day = french_date(timezone.localdate(latest.created_at))
    return (
        f"{replaced_by(successor)} ; la plus récente, la version {latest.number} du {day}, "
        "est celle qui fait foi."
    )


def _result(version: CertificateVersion | None) -> dict[str, Any]:
    if version is None:
        return {"version": None}
    return {
        "version": version,
        "superseded": superseded(version),
        "draft": version.status not in SHARED_STATUSES,
    }


def _photo_result(image: Any) -> dict[str, Any]:
    """The hours a photo's QR code carries, if the portal's seal key signed them."""
    certificate = x509.load_der_x509_certificate(seal_keys().certificate.dump())
    try:
        payload = payload_in_photo(image, certificate)
    except PayloadError as error:
        return {"photo_error": str(error)}
    return {"payload": payload, **_result(version_by_reference(payload.reference))}


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
    uploaded, photo = form.cleaned_data["file"], form.cleaned_data["photo"]
    if uploaded is not None:
        content = uploaded.read()
        version = version_by_content(content)
        # the checks realisa-verify makes offline: the seal, PDF/A, the data, the QR code
        report = check_certificate(content, seal_keys().trust_roots)
        context = {"form": form, "checked_file": True, "report": report, **_result(version)}
    elif photo is not None:
        context = {"form": form, "checked_photo": True, **_photo_result(photo)}
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


@require_http_methods(["GET"])
def seal_root(request: HttpRequest) -> HttpResponse:
    """Public: the portal's root certificate(s), in PEM, for ``realisa-verify --racine``."""
    roots = b"".join(pem.armor("CERTIFICATE", root.dump()) for root in seal_keys().trust_roots)
    return HttpResponse(roots, content_type="application/x-pem-file")


@require_http_methods(["GET"])
def seal_certificate(request: HttpRequest) -> HttpResponse:
    """Public: the seal's own certificate, in PEM: with the root, what checks a photo's QR
    code offline (``realisa-verify photo.jpg --racine ca.pem --cachet cachet.pem``)."""
    return HttpResponse(
        pem.armor("CERTIFICATE", seal_keys().certificate.dump()),
        content_type="application/x-pem-file",
    )


@require_http_methods(["GET"])
def seal_crl(request: HttpRequest) -> HttpResponse:
    """Public: the CA's revocation list, where the local seal certificate says it is."""
    crls = seal_keys().crls
    if not crls:
        raise Http404("Pas de liste de révocation pour ce sceau.")
    return HttpResponse(crls[0].dump(), content_type="application/pkix-crl")
