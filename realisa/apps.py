from django.contrib.admin.apps import AdminConfig


class RealisaAdminConfig(AdminConfig):
    default_site = "realisa.admin_site.RealisaAdminSite"
