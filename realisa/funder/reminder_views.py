"""« Relancer »: an agent sends an organisation its digest of late months from the page,
or to every organisation of a selection, within ``REMINDER_INTERVAL_DAYS`` as the scheduled
command does (``reminders.remind``)."""

from __future__ import annotations

from collections import Counter

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from realisa.accounts.decorators import agent_required, current_user
from realisa.funder.late import late_by_organisation, late_months
from realisa.funder.reminders import Outcome, last_reminder, next_reminder_on, remind
from realisa.lib.french import plural, plural_form
from realisa.organisations.models import Organisation

NO_ADDRESS = (
    "aucune adresse e-mail, ni celle de l'organisme ni celle d'un utilisateur actif : la relance "
    "n'est pas partie. Ajoutez l'adresse de contact de l'organisme dans sa fiche."
)


@require_POST
@agent_required
def remind_one(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation.objects.visible_to(request.user), pk=pk)
    today = timezone.localdate()
    months = late_months(today, organisation)
    if not months:
        messages.info(request, f"{organisation.name} n'a plus de mois en retard : rien à relancer.")
        return redirect("funder:organisation_late", pk=organisation.pk)
    outcome = remind(organisation, months, today, actor=current_user(request), request=request)
    if outcome == Outcome.SENT:
        messages.success(
            request, f"Relance envoyée à {organisation.name} ({plural(len(months), 'mois')})."
        )
    elif outcome == Outcome.NO_ADDRESS:
        messages.error(request, f"{organisation.name} : {NO_ADDRESS}")
    else:
        last = last_reminder(organisation)
        assert last is not None  # noqa: S101 - remind refused for a recent one
        messages.info(
            request,
            f"{organisation.name} a déjà été relancé le {last.sent_on:%d/%m/%Y} : prochaine "
            f"relance possible le {next_reminder_on(last):%d/%m/%Y}.",
        )
    return redirect("funder:organisation_late", pk=organisation.pk)


@require_POST
@agent_required
def remind_selection(request: HttpRequest) -> HttpResponse:
    """« Relancer la sélection »: each ticked late organisation, once in the interval."""
    chosen = {value for value in request.POST.getlist("organisme") if value.isdigit()}
    back = "funder:late_list" if request.POST.get("retour") == "retards" else "funder:dashboard"
    today = timezone.localdate()
    late = {o: m for o, m in late_by_organisation(today).items() if str(o.pk) in chosen}
    if not late:
        messages.error(request, "Cochez au moins un organisme en retard à relancer.")
        return redirect(back)
    actor = current_user(request)
    outcomes = Counter(
        remind(organisation, months, today, actor=actor, request=request)
        for organisation, months in late.items()
    )
    messages.success(request, selection_message(outcomes))
    return redirect(back)


def selection_message(outcomes: Counter[Outcome]) -> str:
    """« 2 relances envoyées ; 1 organisme déjà relancé depuis moins de 7 jours ; … »."""
    sent = outcomes[Outcome.SENT]
    words = [f"{plural(sent, 'relance envoyée', 'relances envoyées')}"]
    if outcomes[Outcome.TOO_SOON]:
        interval = plural(settings.REMINDER_INTERVAL_DAYS, "jour")
        skipped = outcomes[Outcome.TOO_SOON]
        already = plural(skipped, "organisme déjà relancé", "organismes déjà relancés")
        words.append(f"{already} depuis moins de {interval}")
    if outcomes[Outcome.NO_ADDRESS]:
        count = outcomes[Outcome.NO_ADDRESS]
        relaunched = plural_form(count, "relancé")
        words.append(f"{plural(count, 'organisme')} sans adresse e-mail, non {relaunched}")
    return " ; ".join(words) + "."
