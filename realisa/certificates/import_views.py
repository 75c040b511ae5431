"""« Importer des heures »: an organisation uploads a month's hours for many dossiers, reads
the preview month by month, ticks the two boxes once, then imports (``hours_import``)."""

from __future__ import annotations

import base64
from typing import Any

from django.contrib import messages
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from realisa.accounts.decorators import current_user, of_member_required
from realisa.accounts.models import User
from realisa.certificates import hours_file, hours_import
from realisa.certificates.abilities import actor_of, may_certify_online
from realisa.certificates.import_forms import HoursFileForm, ImportBoxesForm

# The previewed file travels back with « Importer », signed for its person, with the
# versions the preview saw: what is imported is what was previewed, and nothing is kept on
# the server in between.
SALT = "certificates.hours_import"
PREVIEW_MAX_AGE = 3600
EXPIRED = "L'aperçu a expiré (une heure) : déposez le fichier à nouveau."
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _sign(user: User, content: bytes, versions: dict[str, int]) -> str:
    preview = {"file": base64.b64encode(content).decode("ascii"), "versions": versions}
    return signing.dumps(preview, salt=f"{SALT}.{user.pk}", compress=True)


def _unsign(user: User, token: str) -> tuple[bytes, dict[str, int]] | None:
    try:
        preview = signing.loads(token, salt=f"{SALT}.{user.pk}", max_age=PREVIEW_MAX_AGE)
        return base64.b64decode(preview["file"]), dict(preview["versions"])
    except (signing.BadSignature, ValueError, KeyError, TypeError):
        return None


@of_member_required
def hours_import_page(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    ip_consent_required = may_certify_online(actor_of(user))
    context: dict[str, Any] = {
        "form": HoursFileForm(),
        "boxes": ImportBoxesForm(ip_consent_required=ip_consent_required),
        "ip_consent_required": ip_consent_required,
        "layouts": list(hours_file.Layout),
    }
    status = 200
    if request.method == "POST" and "preview" in request.POST:
        preview = _unsign(user, request.POST["preview"])
        if preview is None:
            messages.error(request, EXPIRED)
            return redirect("certificates:hours_import")
        boxes = context["boxes"] = ImportBoxesForm(
            request.POST, ip_consent_required=ip_consent_required
        )
        status = _import(request, user, boxes, *preview, context)
        if status == 303:
            return redirect("certificates:hours_import")
    elif request.method == "POST":
        form = context["form"] = HoursFileForm(request.POST, request.FILES)
        status = _preview(user, form, context)
    return render(request, "certificates/hours_import.html", context, status=status)


def _preview(user: User, form: HoursFileForm, context: dict[str, Any]) -> int:
    if not form.is_valid():
        return 422
    content = form.cleaned_data["file"]
    report = context["report"] = hours_import.run(content, actor=user, commit=False)
    if not report.is_refused:
        context["token"] = _sign(user, content, report.versions)
    return 200


def _import(
    request: HttpRequest,
    user: User,
    boxes: ImportBoxesForm,
    content: bytes,
    versions: dict[str, int],
    context: dict[str, Any],
) -> int:
    """Import the previewed file (303 when done); without the boxes, the preview again."""
    if not boxes.is_valid():
        context["report"] = hours_import.run(content, actor=user, commit=False)
        context["token"] = request.POST["preview"]
        return 422
    report = context["report"] = hours_import.run(
        content,
        actor=user,
        commit=True,
        boxes=boxes.boxes(),
        versions=versions,
        request=request,
    )
    if not report.imported:
        return 409  # a month changed since the preview: its reason is shown
    messages.success(request, f"Import terminé : {report.done}.")
    return 303


@of_member_required
def hours_import_template(request: HttpRequest, layout: str, kind: str) -> HttpResponse:
    try:
        chosen = hours_file.Layout(layout)
    except ValueError:
        raise Http404 from None
    if kind == "csv":
        response = HttpResponse(hours_file.template_csv(chosen), content_type="text/csv")
    elif kind == "xlsx":
        response = HttpResponse(hours_file.template_xlsx(chosen), content_type=XLSX)
    else:
        raise Http404
    name = f"modele-heures-par-{chosen.value}.{kind}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
