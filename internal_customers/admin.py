"""Which teams serve which: HR records it. Who rated what is not in the admin: the ratings
are anonymous, to HR too."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Service


@admin.register(Service)
class ServiceAdmin(SimpleHistoryAdmin):
    list_display = ["provider", "customer"]
    list_filter = ["provider__department"]
    search_fields = ["provider__name", "customer__name"]
    autocomplete_fields = ["provider", "customer"]
