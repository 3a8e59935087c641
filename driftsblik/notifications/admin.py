from django.contrib import admin

from driftsblik.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "recipient", "subject", "read_at", "emailed_at")
    list_filter = ("read_at", "emailed_at")
    search_fields = ("recipient__email", "subject", "key")
    readonly_fields = [f.name for f in Notification._meta.fields]
