"""HR invites people from the list of people, and sees who was invited, when, and who has
logged in. Invitations and reminders are listed as they were sent (read-only)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.db.models import Max, Q
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from assessments.admin import PersonAdmin

from .models import Delivery, Invitation, Preferences, Reminder
from .services import invitations_queue

User = get_user_model()


class InvitedFilter(admin.SimpleListFilter):
    title = _("invitation")
    parameter_name = "invited"

    def lookups(self, request, model_admin):
        return [("no", _("never invited")), ("yes", _("invited"))]

    def queryset(self, request, queryset):
        sent = Q(invitations__status=Delivery.SENT)
        if self.value() == "no":
            return queryset.exclude(sent)
        if self.value() == "yes":
            return queryset.filter(sent).distinct()
        return queryset


class LoggedInFilter(admin.SimpleListFilter):
    title = _("logged in")
    parameter_name = "logged_in"

    def lookups(self, request, model_admin):
        return [("no", _("never")), ("yes", _("at least once"))]

    def queryset(self, request, queryset):
        if self.value() in ("no", "yes"):
            return queryset.filter(last_login__isnull=self.value() == "no")
        return queryset


class PreferencesInline(admin.StackedInline):
    model = Preferences
    can_delete = False
    extra = 0


class InvitationInline(admin.TabularInline):
    model = Invitation
    fk_name = "person"
    extra = 0
    fields = ["created_at", "created_by", "status", "sent_at", "error"]
    readonly_fields = fields
    can_delete = False
    max_num = 0
    verbose_name_plural = _("invitations")


admin.site.unregister(User)


@admin.register(User)
class InvitingPersonAdmin(PersonAdmin):
    """The people, with their invitations; the action "Send an invitation" invites them."""

    inlines = [*PersonAdmin.inlines, PreferencesInline, InvitationInline]
    list_display = [*PersonAdmin.list_display, "invited", "last_login"]
    list_filter = [
        InvitedFilter,
        LoggedInFilter,
        "is_active",
        "is_staff",
        ("date_joined", admin.DateFieldListFilter),
    ]
    actions = ["invite", *PersonAdmin.actions]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                last_invited=Max("invitations__sent_at", filter=Q(invitations__status="sent"))
            )
        )

    @admin.display(description=_("invited"), ordering="last_invited")
    def invited(self, obj) -> str:
        return obj.last_invited

    @admin.action(description=_("Send an invitation"), permissions=["change"])
    def invite(self, request: HttpRequest, queryset) -> None:
        outcome = invitations_queue(people=queryset, sent_by=request.user)
        self.message_user(
            request,
            ngettext(
                "%(count)d invitation is being sent.",
                "%(count)d invitations are being sent.",
                outcome.queued,
            )
            % {"count": outcome.queued},
            messages.SUCCESS,
        )
        refused = [
            ngettext(
                "%(count)d person has no e-mail address and was not invited.",
                "%(count)d people have no e-mail address and were not invited.",
                outcome.without_email,
            )
            % {"count": outcome.without_email}
            if outcome.without_email
            else "",
            ngettext(
                "%(count)d person has left the organisation and was not invited.",
                "%(count)d people have left the organisation and were not invited.",
                outcome.inactive,
            )
            % {"count": outcome.inactive}
            if outcome.inactive
            else "",
            ngettext(
                "%(count)d person's invitation was already on its way.",
                "%(count)d people's invitations were already on their way.",
                outcome.already_queued,
            )
            % {"count": outcome.already_queued}
            if outcome.already_queued
            else "",
        ]
        for message in filter(None, refused):
            self.message_user(request, message, messages.WARNING)


class ReadOnly:
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Invitation)
class InvitationAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["person", "status", "created_at", "created_by", "sent_at"]
    list_filter = ["status", ("created_at", admin.DateFieldListFilter)]
    search_fields = ["person__username", "person__last_name", "person__email"]
    list_select_related = ["person", "created_by"]


@admin.register(Reminder)
class ReminderAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["assessment", "moment", "status", "created_at", "sent_at", "attempts"]
    list_filter = ["status", "moment", "assessment__round"]
    search_fields = ["assessment__assessor__username", "assessment__assessor__last_name"]
    list_select_related = ["assessment__round", "assessment__subject"]
