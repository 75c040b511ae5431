from django.contrib import admin

from realisa.admin_site import ReadOnlyAgentAdmin
from realisa.audit.models import AuditEvent, ConnectionEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAgentAdmin):
    list_display = ["created_at", "actor_username", "action", "object_type", "object_id", "ip"]
    list_filter = ["action"]
    search_fields = ["actor_username", "object_id", "action"]


@admin.register(ConnectionEvent)
class ConnectionEventAdmin(ReadOnlyAgentAdmin):
    list_display = ["created_at", "username", "action", "ip"]
    list_filter = ["action"]
    search_fields = ["username", "ip"]
