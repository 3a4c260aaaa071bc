"""Entering, importing and exporting outcome values: look up with access, bind the form, call
the service, redirect. The series on the dashboards come from `templatetags/outcomes.py`."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from assessments.models import Department, Team
from assessments.people_import import MAX_BYTES, RowError
from figures import access as dashboard_access
from figures.exports import csv_response, xlsx_response

from . import access, services
from .forms import ImportForm, MonthForm
from .importing import ImportResult, outcome_import
from .models import OutcomeMeasure, OutcomeValue, first_of_month
from .months import add_months, parse_month
from .series import format_value

EXPORTS = {"csv": csv_response, "xlsx": xlsx_response}
RECENT_MONTHS = 12


@login_required
@require_http_methods(["GET", "POST"])
def team_entry(request: HttpRequest, pk: int) -> HttpResponse:
    team = access.team_for_entry(request.user, pk)
    return _entry(
        request,
        team,
        here=reverse("outcomes:team_entry", args=[team.pk]),
        back=reverse("figures:team_dashboard", args=[team.pk]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def department_entry(request: HttpRequest, pk: int) -> HttpResponse:
    department = access.department_for_entry(request.user, pk)
    return _entry(
        request,
        department,
        here=reverse("outcomes:department_entry", args=[department.pk]),
        back=f"{reverse('figures:organisation')}?department={department.pk}",
    )


def _entry(request: HttpRequest, place: Team | Department, *, here: str, back: str):
    measures = list(OutcomeMeasure.objects.filter(active=True))
    values = OutcomeValue.objects.filter(
        **{"team" if isinstance(place, Team) else "department": place}
    )
    if request.method == "POST":
        form = MonthForm(request.POST, measures=measures)
        if form.is_valid():
            month = form.cleaned_data["month"]
            stored, removed = services.month_save(
                place=place, month=month, values=form.values(), by=request.user
            )
            messages.success(
                request,
                _("Saved for %(month)s: %(stored)s, %(removed)s.")
                % {
                    "month": _month_name(month),
                    "stored": ngettext("%(count)d value stored", "%(count)d values stored", stored)
                    % {"count": stored},
                    "removed": ngettext(
                        "%(count)d value removed", "%(count)d values removed", removed
                    )
                    % {"count": removed},
                },
            )
            return redirect(f"{here}?month={month:%Y-%m}")
        month, status = form.cleaned_data.get("month"), 400
    else:
        month = parse_month(request.GET.get("month", "")) or _last_month()
        month = min(month, first_of_month(timezone.localdate()))
        current = {v.measure_id: v.value for v in values.filter(month=month)}
        form = MonthForm(
            initial={"month": f"{month:%Y-%m}", **{f"m{pk}": v for pk, v in current.items()}},
            measures=measures,
        )
        status = 200
    since = add_months(first_of_month(timezone.localdate()), -(RECENT_MONTHS - 1))
    recent: dict[datetime.date, dict[int, str]] = {}
    for value in values.filter(month__gte=since, measure__in=measures).select_related("measure"):
        recent.setdefault(value.month, {})[value.measure_id] = format_value(
            value.value, value.measure
        )
    return render(
        request,
        "outcomes/entry.html",
        {
            "place": place,
            "is_team": isinstance(place, Team),
            "form": form,
            "month": month,
            "back": back,
            "here": here,
            "measures": measures,
            "recent": [
                (m, [recent[m].get(measure.pk, "–") for measure in measures])
                for m in sorted(recent, reverse=True)
            ],
        },
        status=status,
    )


def _last_month() -> datetime.date:
    """Values are known once a month is over: the form opens on the month before this one."""
    return add_months(first_of_month(timezone.localdate()), -1)


def _month_name(month: datetime.date) -> str:
    return date_format(month, "YEAR_MONTH_FORMAT")


@login_required
@require_http_methods(["GET", "POST"])
def import_values(request: HttpRequest) -> HttpResponse:
    access.may_import(request.user)
    result = None
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            result = ImportResult(errors=[RowError(0, _("the file is larger than 20 MB"))])
        else:
            result = outcome_import(data=upload.read(), by=request.user)
    status = 200
    if request.method == "POST" and (not form.is_valid() or (result and not result.ok)):
        status = 400
    return render(request, "outcomes/import.html", {"form": form, "result": result}, status=status)


# --- Exports -----------------------------------------------------------------------------


@login_required
def team_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """Every outcome value of the team: for whoever may open its dashboard."""
    team = dashboard_access.team_for_dashboard(request.user, pk)
    return _export(OutcomeValue.objects.of_team(team), slugify(team.name), fmt)


@login_required
def organisation_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """A department's own values (the department the organisation page shows); HR without a
    department: every value, of every team and department."""
    allowed = dashboard_access.departments_for_rollup(request.user)
    wanted = request.GET.get("department", "")
    if wanted:
        if not wanted.isdecimal():
            raise Http404("No such department.")
        departments = Department.objects.all() if allowed is None else allowed
        department = get_object_or_404(departments, pk=int(wanted))
    elif allowed is not None:
        department = allowed.first()
        if department is None:
            raise Http404("No organisation dashboard for this person.")
    else:
        return _export(OutcomeValue.objects.all(), slugify(_("organisation")), fmt)
    return _export(OutcomeValue.objects.of_department(department), slugify(department.name), fmt)


def _export(values, name: str, fmt: str) -> HttpResponse:
    header = [
        _("month"),
        _("team"),
        _("department"),
        _("measure"),
        _("unit"),
        _("direction"),
        _("value"),
    ]
    values = values.select_related("measure", "team__department", "department").order_by(
        "month", "team__name", "department__name", "measure__position", "measure__name_nl"
    )

    def rows():
        for v in values.iterator(chunk_size=2000):
            yield [
                f"{v.month:%Y-%m}",
                v.team.name if v.team else "",
                v.team.department.name if v.team else v.department.name,
                v.measure.name,
                v.measure.unit,
                _("higher is better") if v.measure.higher_is_better else _("lower is better"),
                v.value,
            ]

    suffix = slugify(_("outcomes"))
    return EXPORTS[fmt](f"{name}-{suffix}", header, rows())
