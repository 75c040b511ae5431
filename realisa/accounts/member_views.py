"""« Utilisateurs »: the organisation admin manages the accounts of their organisation."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from realisa.accounts import members
from realisa.accounts.decorators import current_user, of_admin_required
from realisa.accounts.forms import MemberForm
from realisa.accounts.members import MemberError


@of_admin_required
def member_list(request: HttpRequest) -> HttpResponse:
    admin = current_user(request)
    return render(
        request,
        "accounts/members.html",
        {"members": members.members_of(admin), "organisation": admin.organisation},
    )


@of_admin_required
def member_create(request: HttpRequest) -> HttpResponse:
    admin = current_user(request)
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            member = members.create_member(
                admin,
                username=data["username"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                can_certify=data["can_certify"],
                request=request,
            )
        except MemberError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                f"Le compte {member.username} est créé : un e-mail a été envoyé à "
                f"{member.email} pour choisir le mot de passe.",
            )
            return redirect("organisations:members")
    return render(request, "accounts/member_form.html", {"form": form})


def _member_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    admin = current_user(request)
    member = get_object_or_404(members.members_of(admin), pk=pk)
    try:
        if action == "grant":
            members.set_can_certify(admin, member.pk, True, request=request)
            text = f"{member} peut désormais certifier les certificats de réalisation."
        elif action == "revoke":
            members.set_can_certify(admin, member.pk, False, request=request)
            text = f"{member} ne peut plus certifier les certificats de réalisation."
        elif action == "deactivate":
            members.deactivate_member(admin, member.pk, request=request)
            text = f"Le compte {member.username} est désactivé."
        else:
            members.reactivate_member(admin, member.pk, request=request)
            text = f"Le compte {member.username} est réactivé."
    except MemberError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, text)
    return redirect("organisations:members")


@require_POST
@of_admin_required
def member_can_certify(request: HttpRequest, pk: int) -> HttpResponse:
    action = "grant" if request.POST.get("can_certify") == "1" else "revoke"
    return _member_action(request, pk, action)


@require_POST
@of_admin_required
def member_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _member_action(request, pk, "deactivate")


@require_POST
@of_admin_required
def member_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _member_action(request, pk, "reactivate")
