"""Closing a round early, and the published figures, in the HR administrator's admin."""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from assessments.admin import RoundAdmin as BaseRoundAdmin
from assessments.models import Round

from .models import Publication
from .services import round_close_early

admin.site.unregister(Round)


@admin.register(Round)
class RoundAdmin(BaseRoundAdmin):
    """Rounds, plus closing one now; a closed round's dates, teams and kind stay as they were
    when its figures were published."""

    list_display = [*BaseRoundAdmin.list_display, "closed_at"]
    actions = [*BaseRoundAdmin.actions, "close_now"]
    readonly_fields = ["closed_at"]

    def get_readonly_fields(self, request, obj=None):
        fields = [*super().get_readonly_fields(request, obj), "closed_at"]
        if obj is not None and obj.closed_at is not None:
            fields += ["framework", "kind", "opens_on", "closes_on", "teams"]
        return list(dict.fromkeys(fields))

    def save_related(self, request, form, formsets, change) -> None:
        if form.instance.closed_at is not None:  # nobody can answer any more: add no one
            admin.ModelAdmin.save_related(self, request, form, formsets, change)
            return
        super().save_related(request, form, formsets, change)

    @admin.action(description=_("Add newcomers of the covered teams to the round"))
    def add_newcomers(self, request: HttpRequest, queryset) -> None:
        closed = queryset.filter(closed_at__isnull=False)
        if closed.exists():
            self.message_user(
                request,
                _("A closed round takes no newcomers: %(rounds)s.")
                % {"rounds": ", ".join(r.name for r in closed)},
                messages.WARNING,
            )
        super().add_newcomers(request, queryset.filter(closed_at__isnull=True))

    @admin.action(description=_("Close now and publish the figures"))
    def close_now(self, request: HttpRequest, queryset) -> None:
        rounds = list(queryset)
        for round_ in rounds:
            round_close_early(round_=round_)
        self.message_user(
            request,
            ngettext(
                "%(count)d round is closed: nobody can change an answer any more, and its "
                "figures are published.",
                "%(count)d rounds are closed: nobody can change an answer any more, and their "
                "figures are published.",
                len(rounds),
            )
            % {"count": len(rounds)},
            messages.SUCCESS,
        )


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    """What was published, when, with which minimum group size: to read, never to change."""

    list_display = ["round", "published_at", "min_group_size"]
    date_hierarchy = "published_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
