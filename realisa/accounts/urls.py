from django.contrib.auth import views as auth_views
from django.urls import path

from realisa.accounts import account_views, login
from realisa.accounts.forms import ResetForm

urlpatterns = [
    path(
        "connexion/",
        login.LoginPage.as_view(
            template_name="accounts/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("donnees-personnelles/", account_views.privacy, name="privacy"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "mot-de-passe/oubli/",
        account_views.PasswordResetRequestView.as_view(
            template_name="accounts/password_reset_form.html", form_class=ResetForm
        ),
        name="password_reset",
    ),
    path(
        "mot-de-passe/oubli/envoye/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/nouveau/termine/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        account_views.PasswordChoiceView.as_view(
            extra_context={"title": "Choisir un nouveau mot de passe"}
        ),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/creer/<uidb64>/<token>/",
        account_views.PasswordChoiceView.as_view(
            extra_context={"title": "Choisir votre mot de passe"}
        ),
        name="password_set_confirm",
    ),
]
