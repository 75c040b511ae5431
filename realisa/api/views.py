"""« Mon compte » → « Jetons d'API »: each person's own tokens (session pages)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from realisa.accounts.decorators import current_user
from realisa.api.forms import TokenForm
from realisa.api.models import ApiToken
from realisa.api.tokens import TokenRefused, create_token, revoke_token


def _page(
    request: HttpRequest, form: TokenForm, *, new_token: str = "", status: int = 200
) -> HttpResponse:
    tokens = ApiToken.objects.visible_to(request.user)
    context = {"form": form, "tokens": tokens, "new_token": new_token}
    return render(request, "api/tokens.html", context, status=status)


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    return _page(request, TokenForm())


@require_POST
@login_required
def token_create(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    try:
        _, raw = create_token(
            current_user(request),
            name=form.cleaned_data["name"],
            expires_on=form.cleaned_data["expires_on"],
            request=request,
        )
    except TokenRefused as error:
        form.add_error(None, error.message)
        return _page(request, form, status=400)
    return _page(request, TokenForm(), new_token=raw)


@require_POST
@login_required
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken.objects.visible_to(request.user), pk=pk)
    revoke_token(token, actor=current_user(request), request=request)
    messages.success(request, f"Le jeton « {token.name} » est révoqué : il ne fonctionne plus.")
    return redirect("tokens:list")
