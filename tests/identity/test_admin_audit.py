"""An agent's permission changes in the admin are recorded as on the members' page."""

from django.test import Client
from django.urls import reverse

from realisa.audit.models import AuditEvent
from tests.conftest import World


def change_form_data(client: Client, url: str) -> dict[str, str]:
    form = client.get(url).context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if name in ("last_login", "date_joined"):
            local = value.astimezone() if value else None
            data[f"{name}_0"] = local.strftime("%d/%m/%Y") if local else ""
            data[f"{name}_1"] = local.strftime("%H:%M:%S") if local else ""
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = str(getattr(value, "pk", value))
    return data


def test_an_agent_ticking_can_certify_and_deactivating_in_the_admin_is_audited(
    world: World, client: Client
) -> None:
    client.force_login(world.agent)
    url = reverse("admin:accounts_user_change", args=[world.of_user.pk])
    data = change_form_data(client, url)
    data["can_certify"] = "on"
    data.pop("is_active", None)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    world.of_user.refresh_from_db()
    assert world.of_user.can_certify and not world.of_user.is_active
    events = AuditEvent.objects.filter(object_id=str(world.of_user.pk), actor=world.agent)
    assert sorted(event.action for event in events) == [
        "account.can_certify_granted",
        "account.deactivated",
    ]
    assert {event.payload["via"] for event in events} == {"admin"}
