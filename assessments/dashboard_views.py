"""Team and organisation dashboards, and their exports."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.text import slugify
from django.utils.translation import gettext as _

from . import access, dashboards, scoring
from .exports import csv_response, xlsx_response
from .models import Assessment, Department, Round

User = get_user_model()
TEAMS_PER_PAGE = 50  # a page of a thousand teams takes longer to render than to compute
PERSPECTIVES = [Assessment.Perspective.SELF, Assessment.Perspective.MANAGER]


def _pick_round(request: HttpRequest, rounds: list[Round]) -> Round:
    if not rounds:
        raise Http404("No rounds.")
    wanted = request.GET.get("round")
    if wanted is None:
        return rounds[0]
    found = next((r for r in rounds if str(r.pk) == wanted), None)
    if found is None:
        raise Http404("No such round for this group.")
    return found


def _pick_perspective(request: HttpRequest, round_: Round) -> str:
    perspective = request.GET.get("perspective", Assessment.Perspective.SELF)
    if perspective not in PERSPECTIVES or (
        perspective == Assessment.Perspective.MANAGER and not round_.is_attributed
    ):
        raise Http404("No such perspective.")
    return perspective


def _team_context(request: HttpRequest, pk: int) -> dict:
    team, sees_members = access.team_for_dashboard(request.user, pk)
    rounds = list(team.rounds.select_related("framework").order_by("-opens_on", "-id"))
    round_ = _pick_round(request, rounds)
    perspective = _pick_perspective(request, round_)
    figures = dashboards.team_figures(round_, team, perspective)
    indicators = dashboards.indicators_of(round_)
    levels = list(round_.framework.levels.all())
    withheld = figures.withheld
    level_means = {} if withheld else dashboards.level_means(round_, team)
    indicator_means = {} if withheld else dashboards.indicator_means(round_, team)
    level_rows = [
        {
            "level": level,
            "self": level_means.get((level.number, "self")),
            "manager": level_means.get((level.number, "manager")),
        }
        for level in levels
    ]
    indicator_rows = []
    for indicator in indicators:
        own = indicator_means.get((indicator.pk, "self"))
        manager = indicator_means.get((indicator.pk, "manager"))
        difference = dashboards.gap(own, manager)
        indicator_rows.append(
            {
                "indicator": indicator,
                "self": own,
                "manager": manager,
                "gap": difference,
                "flagged": scoring.is_conversation_topic(difference),
            }
        )
    heatmap_rows = []
    if sees_members and round_.is_attributed:
        cells = dashboards.heatmap(round_, team, perspective)
        people = User.objects.filter(pk__in=cells).order_by("first_name", "last_name")
        heatmap_rows = [
            {"person": person, "values": [cells[person.pk].get(i.pk) for i in indicators]}
            for person in people
        ]
    trend = dashboards.team_trend(team, perspective, rounds)
    return {
        "team": team,
        "rounds": rounds,
        "round": round_,
        "perspective": perspective,
        "perspectives": PERSPECTIVES if round_.is_attributed else PERSPECTIVES[:1],
        "figures": figures,
        "levels": level_rows,
        "indicators": indicators,
        "indicator_rows": indicator_rows,
        "heatmap": heatmap_rows,
        "sees_members": sees_members,
        "trend": trend,
        "min_group_size": dashboards.min_group_size(),
        "chart": {
            "distribution": {
                "labels": [str(n) for n in dashboards.LEVELS],
                "data": [figures.distribution.get(n, 0) for n in dashboards.LEVELS],
                "label": _("people"),
                "target": team.target_level,
            },
            "trend": {
                "labels": [p.round.name for p in trend],
                "data": [
                    None if p.share_at_target is None else round(100 * p.share_at_target)
                    for p in trend
                ],
                "label": _("% at or above target"),
            },
        },
    }


@login_required
def team_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "assessments/team_dashboard.html", _team_context(request, pk))


@login_required
def team_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    context = _team_context(request, pk)
    figures = context["figures"]
    header = [_("section"), _("item"), _("self"), _("manager"), _("gap")]

    def number(value):
        return None if value is None else round(float(value), 2)

    def rows():
        yield [_("participation"), _("submitted"), figures.submitted, None, None]
        yield [_("participation"), _("expected"), figures.expected, None, None]
        if figures.withheld:
            yield [_("withheld"), _("too few answers to show"), None, None, None]
            return
        for level, count in sorted(figures.distribution.items()):
            yield [_("attained level"), str(level), count, None, None]
        yield [
            _("share at or above target"),
            str(context["team"].target_level),
            number(figures.share_at_target),
            None,
            None,
        ]
        for row in context["levels"]:
            yield [
                _("level"),
                f"{row['level'].number}. {row['level'].name}",
                number(row["self"]),
                number(row["manager"]),
                None,
            ]
        for row in context["indicator_rows"]:
            yield [
                _("behaviour"),
                row["indicator"].text,
                number(row["self"]),
                number(row["manager"]),
                number(row["gap"]),
            ]

    filename = f"{slugify(context['team'].name)}-{slugify(context['round'].name)}"
    make = csv_response if fmt == "csv" else xlsx_response
    return make(filename, header, rows())


def _organisation_context(request: HttpRequest) -> dict:
    allowed = access.departments_for_rollup(request.user)
    department = None
    if request.GET.get("department"):
        departments = Department.objects.all() if allowed is None else allowed
        try:
            department = get_object_or_404(departments, pk=int(request.GET["department"]))
        except ValueError:
            raise Http404("No such department.") from None
    elif allowed is not None:
        department = allowed.first()
        if department is None:
            raise Http404("No organisation dashboard for this person.")
    team_ids = dashboards.department_team_ids(department) if department else None
    rounds_qs = Round.objects.select_related("framework").order_by("-opens_on", "-id")
    if team_ids is not None:
        rounds_qs = rounds_qs.filter(teams__in=team_ids).distinct()
    rounds = list(rounds_qs)
    round_ = _pick_round(request, rounds)
    perspective = _pick_perspective(request, round_)
    rows, total = dashboards.organisation_rows(round_, perspective, team_ids)
    return {
        "department_rows": dashboards.department_rows(round_, rows, department),
        "page": Paginator(rows, TEAMS_PER_PAGE).get_page(request.GET.get("page")),
        "department": department,
        "departments": Department.objects.all() if allowed is None else allowed,
        "rounds": rounds,
        "round": round_,
        "perspective": perspective,
        "perspectives": PERSPECTIVES if round_.is_attributed else PERSPECTIVES[:1],
        "rows": rows,
        "total": total,
        "levels": list(dashboards.LEVELS),
        "min_group_size": dashboards.min_group_size(),
    }


@login_required
def organisation_dashboard(request: HttpRequest) -> HttpResponse:
    return render(
        request, "assessments/organisation_dashboard.html", _organisation_context(request)
    )


@login_required
def organisation_export(request: HttpRequest, fmt: str) -> HttpResponse:
    context = _organisation_context(request)
    header = [
        _("team"),
        _("department"),
        _("submitted"),
        _("expected"),
        _("share at or above target"),
        _("mean attained level"),
        *[_("level %(n)s") % {"n": n} for n in dashboards.LEVELS],
    ]

    def rows():
        for row in context["rows"]:
            f = row.figures
            yield [
                row.name,
                row.department,
                f.submitted,
                f.expected,
                None if f.share_at_target is None else round(f.share_at_target, 3),
                None if row.mean_level is None else round(float(row.mean_level), 2),
                *[None if f.withheld else f.distribution.get(n, 0) for n in dashboards.LEVELS],
            ]

    scope = context["department"].name if context["department"] else _("organisation")
    filename = f"{slugify(scope)}-{slugify(context['round'].name)}"
    make = csv_response if fmt == "csv" else xlsx_response
    return make(filename, header, rows())
