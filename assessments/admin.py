"""The HR administrator's tools: the competency model, the organisation and the rounds."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected as delete_with_confirmation
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ValidationError
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Department,
    Framework,
    Indicator,
    Level,
    Membership,
    ReflectionQuestion,
    Round,
    ScaleOption,
    Team,
    periods_overlap,
)
from .people import has_assessments, person_leave_organisation
from .people_import import people_import
from .services import framework_new_version, round_populate

User = get_user_model()


class FrozenWhenInUse:
    """Read-only once a round has used the framework: past results read as they were rated."""

    def _framework(self, obj) -> Framework | None:
        if obj is None:
            return None
        if isinstance(obj, Framework):
            return obj
        if isinstance(obj, Level):
            return obj.framework
        return obj.get_framework()

    def _frozen(self, obj) -> bool:
        framework = self._framework(obj)
        return framework is not None and framework.is_in_use()

    def has_change_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_delete_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        if self._frozen(obj):
            return False
        if isinstance(self, admin.options.InlineModelAdmin):
            return super().has_add_permission(request, obj)
        return super().has_add_permission(request)


class LevelInline(FrozenWhenInUse, admin.StackedInline):
    model = Level
    extra = 0
    fields = ["number", ("name_nl", "name_en"), ("description_nl", "description_en")]
    show_change_link = True


class ScaleOptionInline(FrozenWhenInUse, admin.TabularInline):
    model = ScaleOption
    extra = 0


class ReflectionQuestionInline(FrozenWhenInUse, admin.TabularInline):
    model = ReflectionQuestion
    extra = 0


class IndicatorInline(FrozenWhenInUse, admin.TabularInline):
    model = Indicator
    extra = 0
    fields = ["position", "text_nl", "text_en", "observable"]


@admin.register(Framework)
class FrameworkAdmin(FrozenWhenInUse, SimpleHistoryAdmin):
    list_display = ["__str__", "version", "mastery_threshold", "in_use", "created_at"]
    readonly_fields = ["overview", "previous_version"]
    fieldsets = [
        (None, {"fields": [("name_nl", "name_en"), "previous_version"]}),
        (
            _("Scoring"),
            {
                "fields": [
                    ("mastery_threshold", "min_rated_share"),
                    ("cannot_rate_label_nl", "cannot_rate_label_en"),
                ]
            },
        ),
        (_("Levels and their indicators"), {"fields": ["overview"]}),
    ]
    inlines = [LevelInline, ScaleOptionInline, ReflectionQuestionInline]
    actions = ["make_new_version"]

    @admin.display(boolean=True, description=_("used by a round"))
    def in_use(self, obj: Framework) -> bool:
        return obj.is_in_use()

    @admin.display(description=_("overview"))
    def overview(self, obj: Framework) -> str:
        if obj.pk is None:
            return "–"
        levels = obj.levels.prefetch_related("indicators")
        return format_html_join(
            "",
            "<p><strong>{}. {}</strong> / {}</p><ol>{}</ol>",
            (
                (
                    level.number,
                    level.name_nl,
                    level.name_en,
                    format_html_join(
                        "",
                        "<li>{}<br><em>{}</em></li>",
                        ((i.text_nl, i.text_en) for i in level.indicators.all()),
                    ),
                )
                for level in levels
            ),
        )

    @admin.action(description=_("Make a new, editable version"))
    def make_new_version(self, request: HttpRequest, queryset) -> None:
        for framework in queryset:
            copy = framework_new_version(framework=framework)
            self.message_user(
                request,
                format_html(_("Version {} of “{}” is ready to edit."), copy.version, copy.name_nl),
                messages.SUCCESS,
            )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        framework = self.get_object(request, object_id)
        if framework is not None and framework.is_in_use():
            self.message_user(
                request,
                _(
                    "A round has used this framework, so it is read-only. Use the action "
                    "“Make a new, editable version” in the list to change the model."
                ),
                messages.INFO,
            )
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(Level)
class LevelAdmin(FrozenWhenInUse, SimpleHistoryAdmin):
    list_display = ["__str__", "framework"]
    list_filter = ["framework"]
    inlines = [IndicatorInline]
    fields = ["framework", "number", ("name_nl", "name_en"), ("description_nl", "description_en")]


@admin.register(Indicator)
class IndicatorAdmin(FrozenWhenInUse, SimpleHistoryAdmin):
    list_display = ["__str__", "level"]
    list_filter = ["level__framework"]
    search_fields = ["text_nl", "text_en"]


@admin.register(Department)
class DepartmentAdmin(SimpleHistoryAdmin):
    list_display = ["name", "parent"]
    search_fields = ["name"]
    autocomplete_fields = ["parent"]


class MembershipFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        """Two rows of the form that put a person in a team twice at the same time."""
        super().clean()
        seen: dict[tuple[int, int], list[Membership]] = {}
        for form in self.forms:
            if not form.is_valid() or self._should_delete_form(form):
                continue
            m = form.instance
            if m.pk is None and not form.has_changed():
                continue  # an empty extra row
            earlier = seen.setdefault((m.person_id, m.team_id), [])
            if any(
                periods_overlap(m.started_on, m.ended_on, e.started_on, e.ended_on) for e in earlier
            ):
                raise ValidationError(
                    _("This person is already in this team during (part of) this period.")
                )
            earlier.append(m)


class MembershipInline(admin.TabularInline):
    model = Membership
    formset = MembershipFormSet
    extra = 1
    autocomplete_fields = ["person", "team"]
    fields = ["person", "team", "role", "started_on", "ended_on"]
    # Open memberships first, then the most recently ended: the team of now above its history.
    ordering = [F("ended_on").desc(nulls_first=True), "-started_on"]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: username, first_name, last_name, email, department (parts separated "
            "by /), team, role (employee or manager). Dutch headers work too."
        ),
    )


@admin.register(Team)
class TeamAdmin(SimpleHistoryAdmin):
    list_display = ["name", "department", "target_level"]
    list_filter = ["department"]
    search_fields = ["name", "department__name"]
    autocomplete_fields = ["department"]
    inlines = [MembershipInline]
    change_list_template = "admin/assessments/team/change_list.html"

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="assessments_team_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not (self.has_add_permission(request) and request.user.has_perm("auth.add_user")):
            return HttpResponse(status=403)
        result = None
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            result = people_import(data=form.cleaned_data["file"].read())
            if result.ok:
                self.message_user(request, _import_summary(result), messages.SUCCESS)
                if result.moves:
                    self.message_user(
                        request,
                        ngettext(
                            "%(count)d person moved to another team (listed below).",
                            "%(count)d people moved to another team (listed below).",
                            len(result.moves),
                        )
                        % {"count": len(result.moves)},
                        messages.INFO,
                    )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import people and teams"),
            "form": form,
            "result": result,
        }
        status = 400 if result is not None and not result.ok else 200
        return render(request, "admin/assessments/team/import.html", context, status=status)


def _import_summary(result) -> str:
    # One plural form per count: "1 team", "2 teams", whatever the other counts are.
    counts = [
        ngettext("%(count)d person added", "%(count)d people added", result.people_created)
        % {"count": result.people_created},
        ngettext("%(count)d person updated", "%(count)d people updated", result.people_updated)
        % {"count": result.people_updated},
        ngettext("%(count)d team added", "%(count)d teams added", result.teams_created)
        % {"count": result.teams_created},
        ngettext(
            "%(count)d membership added",
            "%(count)d memberships added",
            result.memberships_created,
        )
        % {"count": result.memberships_created},
    ]
    return _("Imported: %(counts)s.") % {"counts": ", ".join(counts)}


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["person", "team", "role", "started_on", "ended_on"]
    list_filter = ["role", "team__department"]
    search_fields = ["person__username", "person__last_name", "team__name"]
    autocomplete_fields = ["person", "team"]


class LevelNumbersField(forms.TypedMultipleChoiceField):
    """Level numbers as checkboxes: those that any framework has."""

    def __init__(self, **kwargs):
        super().__init__(coerce=int, required=False, widget=forms.CheckboxSelectMultiple, **kwargs)
        self.choices = lambda: [
            (number, number)
            for number in Level.objects.order_by("number")
            .values_list("number", flat=True)
            .distinct()
        ]


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "framework", "opens_on", "closes_on", "expected"]
    list_filter = ["kind"]
    filter_horizontal = ["teams"]
    date_hierarchy = "opens_on"
    actions = ["add_newcomers"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "asked_levels":
            return LevelNumbersField(
                label=db_field.verbose_name, help_text=db_field.help_text, initial=list
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        # Once people have started, the model, the kind of round and the levels it asks
        # stay put.
        if obj is not None and (
            obj.assessments.filter(ratings__isnull=False).exists()
            or obj.assessments.filter(reflections__isnull=False).exists()
        ):
            return ["framework", "kind", "asked_levels"]
        return []

    @admin.display(description=_("assessments"))
    def expected(self, obj: Round) -> int:
        return obj.assessments.count()

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        created = round_populate(round_=form.instance)
        if created:
            self.message_user(
                request,
                ngettext(
                    "%(count)d assessment is now expected in this round.",
                    "%(count)d assessments are now expected in this round.",
                    created,
                )
                % {"count": created},
                messages.SUCCESS,
            )

    @admin.action(description=_("Add newcomers of the covered teams to the round"))
    def add_newcomers(self, request: HttpRequest, queryset) -> None:
        created = sum(round_populate(round_=round_) for round_ in queryset)
        self.message_user(
            request,
            ngettext("%(count)d assessment added.", "%(count)d assessments added.", created)
            % {"count": created},
            messages.SUCCESS,
        )


admin.site.unregister(User)


@admin.register(User)
class PersonAdmin(UserAdmin):
    """People leave, their history stays: someone with assessments leaves, and is not deleted."""

    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "email", "is_active", "is_staff"]
    actions = ["leave_organisation", "delete_selected"]

    @admin.action(description=_("Leave the organisation"), permissions=["change"])
    def leave_organisation(self, request: HttpRequest, queryset) -> None:
        people = list(queryset)
        for person in people:
            person_leave_organisation(person=person)
        self.message_user(
            request,
            ngettext(
                "%(count)d person has left the organisation: the account is deactivated and "
                "the memberships are ended. The assessments are kept.",
                "%(count)d people have left the organisation: the accounts are deactivated and "
                "the memberships are ended. The assessments are kept.",
                len(people),
            )
            % {"count": len(people)},
            messages.SUCCESS,
        )

    @admin.action(description=_("Delete selected %(verbose_name_plural)s"), permissions=["delete"])
    def delete_selected(self, request: HttpRequest, queryset):
        kept = [person for person in queryset if has_assessments(person)]
        if kept:
            self._refuse_deletion(request, kept)
            return None
        return delete_with_confirmation(self, request, queryset)

    def delete_view(self, request, object_id, extra_context=None):
        person = self.get_object(request, unquote(object_id))
        if person is not None and has_assessments(person):
            self._refuse_deletion(request, [person])
            return redirect("admin:auth_user_change", person.pk)
        return super().delete_view(request, object_id, extra_context)

    def _refuse_deletion(self, request: HttpRequest, people: list) -> None:
        self.message_user(
            request,
            ngettext(
                "%(people)s cannot be deleted: they gave or received assessments, which stay "
                "part of the history. Use the action “Leave the organisation” instead: it "
                "deactivates the account and ends the memberships, and keeps the assessments.",
                "%(people)s cannot be deleted: they gave or received assessments, which stay "
                "part of the history. Use the action “Leave the organisation” instead: it "
                "deactivates the accounts and ends the memberships, and keeps the assessments.",
                len(people),
            )
            % {"people": ", ".join(f"“{person.get_username()}”" for person in people)},
            messages.ERROR,
        )
