"""« Importer des dossiers »: the agent uploads the instruction system's export, reads the
preview line by line, then imports it; and « Comptes non activés », where the invitations
of the people it created can be sent again."""

from __future__ import annotations

import base64

from django.contrib import messages
from django.core import signing
from django.core.paginator import Paginator
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from realisa.accounts.decorators import agent_required, current_user
from realisa.accounts.invitations import InvitationRefused, not_activated, resend_invitation
from realisa.audit.events import EventType
from realisa.audit.models import AuditEvent
from realisa.funder import dossier_file
from realisa.funder import dossier_import as importing
from realisa.funder.forms import DossierImportForm
from realisa.funder.list_filters import PER_PAGE, InvitationFilter

# The previewed file travels back with « Importer », signed so that what is imported is
# exactly what was previewed (and nothing is kept on the server in between).
SALT = "funder.dossier_import"
PREVIEW_MAX_AGE = 3600


def _sign(content: bytes) -> str:
    return signing.dumps(base64.b64encode(content).decode("ascii"), salt=SALT, compress=True)


def _unsign(token: str) -> bytes | None:
    try:
        return base64.b64decode(signing.loads(token, salt=SALT, max_age=PREVIEW_MAX_AGE))
    except (signing.BadSignature, ValueError):
        return None


@agent_required
def dossier_import(request: HttpRequest) -> HttpResponse:
    form = DossierImportForm()
    report, token, status = None, "", 200
    if request.method == "POST" and "preview" in request.POST:
        content = _unsign(request.POST["preview"])
        if content is None:
            messages.error(request, "L'aperçu a expiré (une heure) : déposez le fichier à nouveau.")
            return redirect("funder:dossier_import")
        report = importing.run(content, actor=current_user(request), commit=True, request=request)
        if report.imported:
            messages.success(request, f"Import terminé : {report.summary}.")
            return redirect("funder:dossier_import")
        status = 409  # the dossiers changed since the preview: its new errors are shown
    elif request.method == "POST":
        form = DossierImportForm(request.POST, request.FILES)
        if form.is_valid():
            content = form.cleaned_data["file"]
            report = importing.run(content, actor=current_user(request), commit=False)
            if not report.is_refused:
                token = _sign(content)
        else:
            status = 422
    context = {"form": form, "report": report, "token": token, "columns": dossier_file.COLUMNS}
    return render(request, "funder/dossier_import.html", context, status=status)


@agent_required
def dossier_import_template(request: HttpRequest, kind: str) -> HttpResponse:
    if kind == "csv":
        response = HttpResponse(dossier_file.template_csv(), content_type="text/csv")
    elif kind == "xlsx":
        response = HttpResponse(
            dossier_file.template_xlsx(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="modele-import-dossiers.{kind}"'
    return response


@agent_required
def invitations(request: HttpRequest) -> HttpResponse:
    """The accounts that have not chosen their password yet, with their last invitation."""
    filters = InvitationFilter(request.GET or None, queryset=not_activated())
    page = Paginator(filters.qs, PER_PAGE).get_page(request.GET.get("page"))
    users = list(page)
    sent = dict(
        AuditEvent.objects.filter(
            object_type="accounts.user",
            object_id__in=[str(user.pk) for user in users],
            action__in=[EventType.ACCOUNT_CREATED, EventType.INVITATION_RESENT],
        )
        .values("object_id")
        .annotate(last=Max("created_at"))
        .values_list("object_id", "last")
    )
    rows = [{"user": user, "last_sent": sent.get(str(user.pk))} for user in users]
    context = {"rows": rows, "page": page, "form": filters.form}
    return render(request, "funder/invitations.html", context)


@require_POST
@agent_required
def resend(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        user = resend_invitation(pk, actor=current_user(request), request=request)
    except InvitationRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, f"Invitation renvoyée à {user.email}.")
    return redirect("funder:invitations")
