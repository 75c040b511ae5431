from django.contrib import admin
from django.urls import include, path

from realisa import health
from realisa.accounts import account_views
from realisa.api.api import api

urlpatterns = [
    path("", account_views.home, name="home"),
    path("", include("realisa.accounts.urls")),
    path("dossiers/", include("realisa.dossiers.urls")),
    path("organisme/", include("realisa.organisations.urls")),
    path("certificats/", include("realisa.certificates.urls")),
    path("documents/", include("realisa.documents.urls")),
    path("financeur/", include("realisa.funder.urls")),
    path("demo/", include("realisa.demo.urls")),
    path("healthz", health.ready, name="healthz"),
    path("healthz/live", health.live, name="healthz_live"),
    path("healthz/ready", health.ready, name="healthz_ready"),
    path("compte/jetons/", include("realisa.api.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
