"""HR sets the rhythm: schedules of rounds for groups of teams."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from assessments.admin import LevelNumbersField

from .models import Schedule, ScheduledRound
from .services import schedule_open_due


class ScheduledRoundInline(admin.TabularInline):
    model = ScheduledRound
    extra = 0
    fields = ["opens_on", "round"]
    readonly_fields = fields
    can_delete = False
    max_num = 0


@admin.register(Schedule)
class ScheduleAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "every_months", "starts_on", "open_days", "next", "active"]
    list_filter = ["kind", "active"]
    filter_horizontal = ["teams"]
    inlines = [ScheduledRoundInline]
    actions = ["open_due_rounds"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "asked_levels":
            return LevelNumbersField(
                label=db_field.verbose_name, help_text=db_field.help_text, initial=list
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description=_("next round opens on"))
    def next(self, obj: Schedule):
        return obj.next_opening(timezone.localdate()) if obj.active else None

    @admin.action(description=_("Open the round that is due now (the daily run does this too)"))
    def open_due_rounds(self, request, queryset) -> None:
        today = timezone.localdate()
        opened = [r for s in queryset if (r := schedule_open_due(schedule=s, today=today))]
        self.message_user(
            request,
            ngettext("%(count)d round opened.", "%(count)d rounds opened.", len(opened))
            % {"count": len(opened)},
            messages.SUCCESS,
        )
