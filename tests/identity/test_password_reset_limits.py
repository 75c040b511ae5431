"""« Mot de passe oublié » is limited per address and per client IP: past the limit no
e-mail is queued, and the answer stays the page every request gets, known address or not."""

import re
from typing import Any

from django.test import Client, TestCase
from django.urls import reverse

from realisa.accounts.account_views import RESETS_PER_ADDRESS, RESETS_PER_IP
from realisa.notifications.models import OutboxEmail
from tests.conftest import World, run_background_jobs

RESET = reverse("password_reset")


def ask(email: str, ip: str = "198.51.100.7") -> Any:
    with TestCase.captureOnCommitCallbacks(execute=True):  # what follows the answer is asked
        return Client(REMOTE_ADDR=ip).post(RESET, {"email": email})


def emails_to(address: str) -> int:
    run_background_jobs()
    return OutboxEmail.objects.filter(to__icontains=address).count()


def test_past_the_limit_per_address_no_email_is_queued(world: World) -> None:
    email = world.of_user.email
    answers = [ask(email.upper() if n % 2 else email, ip=f"192.0.2.{n}") for n in range(8)]
    assert emails_to(email) == RESETS_PER_ADDRESS
    assert {(answer.status_code, answer["Location"]) for answer in answers} == {
        (302, reverse("password_reset_done"))
    }


def test_past_the_limit_per_ip_no_email_is_queued(world: World) -> None:
    for n in range(RESETS_PER_IP):
        ask(f"inconnu{n}@example.org")
    answer = ask(world.of_user.email)
    assert emails_to(world.of_user.email) == 0
    assert (answer.status_code, answer["Location"]) == (302, reverse("password_reset_done"))
    assert ask(world.of_user.email, ip="192.0.2.50").status_code == 302
    assert emails_to(world.of_user.email) == 1  # another address is not held back


def test_the_answer_is_the_same_for_a_known_an_unknown_and_a_held_back_address(
    world: World,
) -> None:
    for _ in range(RESETS_PER_ADDRESS):
        ask(world.of_admin.email)
    pages = [
        Client().post(RESET, {"email": email}, follow=True)
        for email in (world.of_user.email, "personne@example.org", world.of_admin.email)
    ]
    masked = {re.sub(r'"X-CSRFToken": "\w+"', "", page.text) for page in pages}  # per client
    assert len(masked) == 1
    assert [page.redirect_chain for page in pages] == [pages[0].redirect_chain] * 3
    assert "Vérifiez votre messagerie" in pages[0].text
