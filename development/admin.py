"""Development actions in the admin: HR lists and searches them, and reads their history.

Read-only: an action is agreed between a person and their manager, in the application.
"""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import Action


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin):
    list_display = ["person", "round", "team", "short_description", "due_on", "status", "outcome"]
    list_filter = ["status", "outcome", "round", "team"]
    search_fields = [
        "person__username",
        "person__first_name",
        "person__last_name",
        "team__name",
        "description",
        "outcome_note",
    ]
    list_select_related = ["person", "round", "team"]
    date_hierarchy = "due_on"
    filter_horizontal = ["indicators"]

    @admin.display(description=_("action"))
    def short_description(self, obj: Action) -> str:
        return obj.description if len(obj.description) <= 80 else obj.description[:79] + "…"

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple_history's "revert" form saves what is posted to it without asking
        # has_change_permission: reading a past version is all this admin offers.
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)
