from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from realisa.accounts.decorators import current_user, of_admin_required
from realisa.lib.files import serve_private_file
from realisa.organisations.forms import IdentityForm
from realisa.organisations.identity import (
    IdentityChange,
    IdentityError,
    document_rows,
    remove_document,
    save_identity,
)
from realisa.organisations.models import CertifierDocument, Organisation

IMAGES = {"logo": "logo", "stamp": "cachet"}


def _own_organisation(request: HttpRequest) -> Organisation:
    organisation_id = getattr(request.user, "organisation_id", None)
    return get_object_or_404(Organisation.objects.visible_to(request.user), pk=organisation_id)


@of_admin_required
def identity(request: HttpRequest) -> HttpResponse:
    """« Votre identité »: the admin completes it once; the page shows the funder's check."""
    organisation = _own_organisation(request)
    form = IdentityForm(request.POST or None, request.FILES or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        change = IdentityChange(
            legal_representative=data["legal_representative"],
            legal_representative_title=data["legal_representative_title"],
            is_certifier=data["is_certifier"],
            logo=data["logo"] or None,
            stamp=data["stamp"] or None,
            documents=form.documents(),
        )
        try:
            save_identity(current_user(request), change, request=request)
        except IdentityError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Votre identité est enregistrée.")
            return redirect("organisations:identity")
    context = {
        "organisation": organisation,
        "form": form,
        "documents": document_rows(organisation),
        "online_missing": organisation.online_missing(),
    }
    return render(request, "organisations/identity.html", context)


@of_admin_required
def identity_file(request: HttpRequest, which: str) -> HttpResponseBase:
    """The organisation's own logo, stamp, KBIS or consent letter."""
    organisation = _own_organisation(request)
    if which in IMAGES:
        field_file = getattr(organisation, which)
        return serve_private_file(field_file, f"{IMAGES[which]}{_suffix(field_file.name)}")
    document = organisation.certifier_documents.filter(kind=which).first()
    if document is None:
        raise Http404("Aucun document.")
    name = f"{document.get_kind_display()}{_suffix(document.file.name)}"
    return serve_private_file(document.file, name)


def _suffix(name: str) -> str:
    return "." + name.rsplit(".", 1)[-1] if "." in name else ""


@require_POST
@of_admin_required
def document_remove(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in CertifierDocument.Kind.values:
        raise Http404("Document inconnu.")
    try:
        document = remove_document(current_user(request), kind, request=request)
    except IdentityError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{document.get_kind_display()} : document supprimé.")
    return redirect("organisations:identity")
