from django.contrib import admin
from django.urls import include, path

from realisa import health
from realisa.accounts import account_views
from realisa.api.api import api
from realisa.documents import views as documents_views

urlpatterns = [
    path("", account_views.home, name="home"),
    path("", include("realisa.accounts.urls")),
    path("dossiers/", include("realisa.dossiers.urls")),
    path("organisme/", include("realisa.organisations.urls")),
    path("certificats/", include("realisa.certificates.urls")),
    path("documents/", include("realisa.documents.urls")),
    path("financeur/", include("realisa.funder.urls")),
    path("demo/", include("realisa.demo.urls")),
    # the seal's public material: its root and its certificate (realisa-verify), and the
    # CA's CRL, at the address the local seal certificate declares (seal_revocation.CRL_PATH)
    path("sceau/ca.pem", documents_views.seal_root, name="seal_root"),
    path("sceau/cachet.pem", documents_views.seal_certificate, name="seal_certificate"),
    path("sceau/ca.crl", documents_views.seal_crl, name="seal_crl"),
    path("healthz", health.ready, name="healthz"),
    path("healthz/live", health.live, name="healthz_live"),
    path("healthz/ready", health.ready, name="healthz_ready"),
    path("compte/jetons/", include("realisa.api.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
