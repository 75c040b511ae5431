"""Setting a month's hours: the entry window's parser, rules and version check, by API."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router

from realisa.api.endpoints.common import responses, user_of, visible_month
from realisa.api.endpoints.dossiers import MonthPath, NumberPath
from realisa.api.problems import ApiProblem
from realisa.api.schemas import DayIn, HoursIn, HoursResult
from realisa.api.serializers import certificate_out
from realisa.certificates.entry import HoursEntry, enter_hours
from realisa.certificates.rules import DayHours, Hours
from realisa.certificates.visible_months import require_organisation
from realisa.lib.hours import DAY_MAX_MINUTES, MONTH_MAX_MINUTES, parse_hours

router = Router(tags=["Saisie des heures"])


def _parse(values: dict[str, str], *, prefix: str, max_minutes: int) -> Hours:
    """The three durations, each parsed as the screen parses it; every refusal at once."""
    minutes: dict[str, int] = {}
    errors: dict[str, str] = {}
    for name, text in values.items():
        try:
            minutes[name] = parse_hours(text, max_minutes=max_minutes)
        except ValidationError as error:
            errors[f"{prefix}{name}"] = " ".join(error.messages)
    if errors:
        raise ApiProblem(422, "heures-refusees", " ".join(errors.values()), errors=errors)
    return Hours(minutes["centre"], minutes["internship"], minutes["absence"])


def _fields(item: HoursIn | DayIn) -> dict[str, str]:
    return {"centre": item.centre, "internship": item.internship, "absence": item.absence}


def entry_of(body: HoursIn) -> HoursEntry:
    days = None
    if body.days is not None:
        days = [
            DayHours(
                day.date,
                _parse(
                    _fields(day), prefix=f"day:{day.date.isoformat()}:", max_minutes=DAY_MAX_MINUTES
                ),
            )
            for day in body.days
        ]
    return HoursEntry(
        hours=_parse(_fields(body), prefix="", max_minutes=MONTH_MAX_MINUTES),
        days=days,
        certifies_entry=body.certifies_entry,
        accepts_ip_use=body.accepts_ip_use,
        gap_reason=body.gap_reason,
        zero_hours_confirmed=body.zero_hours_confirmed,
    )


@router.put(
    "/dossiers/{number}/months/{month}/hours", response=responses(HoursResult), url_name="hours"
)
def put_hours(
    request: HttpRequest, body: HoursIn, number: NumberPath, month: MonthPath
) -> dict[str, Any]:
    """Enter or correct the month's hours. Send back the ``version`` you read: if someone
    changed the hours since, the answer is 409 with the current hours in ``current``."""
    current = visible_month(request, number, month)
    require_organisation(current)
    result = enter_hours(
        current.dossier,
        current.period.month,
        actor=user_of(request),
        entry=entry_of(body),
        expected_version=body.version,
        request=request,
    )
    certificate = result.certificate
    return {
        "month": certificate_out(
            certificate,
            actor=current.actor,
            visible_versions=certificate.versions.order_by("number"),
        ),
        "warning": result.warning,
    }
