"""The funder's review queue: « Contrôle des justificatifs »."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from realisa.accounts.decorators import agent_required, current_user
from realisa.funder.list_filters import PER_PAGE, ReviewQueueFilter
from realisa.lib.files import serve_private_file
from realisa.lib.french import agree
from realisa.organisations.forms import ReviewForm
from realisa.organisations.identity import document_rows
from realisa.organisations.models import CertifierDocument, Organisation
from realisa.organisations.review import ReviewError, review_document, review_queue


@agent_required
def queue(request: HttpRequest) -> HttpResponse:
    organisations = review_queue(current_user(request)).prefetch_related("certifier_documents")
    filters = ReviewQueueFilter(request.GET or None, queryset=organisations)
    page = Paginator(filters.qs, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "funder/review_queue.html", {"page": page, "form": filters.form})


def _render_organisation(
    request: HttpRequest, organisation: Organisation, forms: dict[int, ReviewForm], status: int
) -> HttpResponse:
    rows = document_rows(organisation)
    for row in rows:
        document = row["document"]
        if document is not None:
            row["form"] = forms.get(document.pk) or ReviewForm(
                initial={"seen_file": document.file.name}, prefix=f"doc{document.pk}"
            )
    context = {"organisation": organisation, "documents": rows}
    return render(request, "funder/review_organisation.html", context, status=status)


def _visible_organisation(request: HttpRequest, pk: int) -> Organisation:
    return get_object_or_404(Organisation.objects.visible_to(request.user), pk=pk)


@agent_required
def organisation(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_organisation(request, _visible_organisation(request, pk), {}, 200)


def _visible_document(request: HttpRequest, pk: int) -> CertifierDocument:
    return get_object_or_404(
        CertifierDocument.objects.select_related("organisation").filter(
            organisation__in=Organisation.objects.visible_to(request.user)
        ),
        pk=pk,
    )


@require_POST
@agent_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """« Conforme » or « Non conforme » (with its reason) on one document."""
    document = _visible_document(request, pk)
    form = ReviewForm(request.POST, prefix=f"doc{document.pk}")
    if not form.is_valid():
        return _render_organisation(request, document.organisation, {document.pk: form}, 200)
    data = form.cleaned_data
    try:
        reviewed = review_document(
            current_user(request),
            document.pk,
            compliant=data["decision"] == "compliant",
            reason=data["refusal_reason"],
            seen_file=data["seen_file"],
            request=request,
        )
    except ReviewError as error:
        messages.error(request, str(error))
    else:
        label = reviewed.get_kind_display()
        if reviewed.review_status == "compliant":
            checked = agree("contrôlé", feminine=reviewed.is_feminine)
            messages.success(request, f"{label} : {checked} conforme. L'organisme est prévenu.")
        else:
            messages.success(request, f"{label} : non conforme. L'organisme est prévenu.")
    return redirect("funder:review_organisation", pk=document.organisation_id)


@xframe_options_sameorigin
@agent_required
def document_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The document itself, shown in the review page (inline) or downloaded."""
    document = _visible_document(request, pk)
    name = f"{document.get_kind_display()} - {document.organisation.name}.pdf"
    return serve_private_file(document.file, name, inline=request.GET.get("telecharger") != "1")
