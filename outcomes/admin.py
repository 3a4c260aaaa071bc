"""Outcome measures and their values, for HR. The values' import is a page of its own
(/outcomes/import/), linked from here and from the organisation dashboard."""

from django.contrib import admin
from django.db import models
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from .models import OutcomeMeasure, OutcomeValue


@admin.register(OutcomeMeasure)
class OutcomeMeasureAdmin(SimpleHistoryAdmin):
    list_display = ["name_nl", "name_en", "unit_nl", "higher_is_better", "position", "active"]
    list_editable = ["position", "active"]
    list_filter = ["active", "higher_is_better"]
    search_fields = ["name_nl", "name_en"]


@admin.register(OutcomeValue)
class OutcomeValueAdmin(admin.ModelAdmin):
    list_display = ["month", "measure", "team", "department", "value", "entered_by", "entered_at"]
    list_filter = ["measure", "month", "team__department"]
    search_fields = ["team__name", "department__name", "measure__name_nl", "measure__name_en"]
    autocomplete_fields = ["team", "department"]
    list_select_related = ["measure", "team", "department", "entered_by"]
    date_hierarchy = "month"
    readonly_fields = ["entered_by", "entered_at"]
    change_list_template = "admin/outcomes/outcomevalue/change_list.html"
    # Dutch decimals (12,5) here as on the entry page.
    formfield_overrides = {models.DecimalField: {"localize": True}}

    def save_model(self, request, obj, form, change) -> None:
        obj.entered_by, obj.entered_at = request.user, timezone.now()
        super().save_model(request, obj, form, change)
