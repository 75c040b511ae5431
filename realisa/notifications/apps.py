from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    verbose_name = "Notifications"
    name = "realisa.notifications"
    label = "notifications"
