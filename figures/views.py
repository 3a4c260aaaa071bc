"""Team and organisation dashboards and their exports: look up with access, read the figures
through the confidentiality gate, render."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import cache

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.functional import SimpleLazyObject
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from assessments.models import Assessment, Department, Round, Team
from klantgericht.sql import all_rows, columns, instances, placeholders

from . import access, confidentiality, members
from .exports import csv_response, xlsx_response
from .models import LEVELS, Publication
from .services import publish_due

PERSPECTIVES = [Assessment.Perspective.SELF, Assessment.Perspective.MANAGER]
EXPORTS = {"csv": csv_response, "xlsx": xlsx_response}


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


def _rounds(where: str = "", params: Sequence = ()) -> list[Round]:
    """The rounds that `where` admits (SQL on `r`, the round), newest first, each with its
    publication. In SQL, as every dashboard request reads them: the ORM took 0.8 ms of CPU
    to build this join and its instances, the SQL 0.2 ms (klantgericht.sql)."""
    rows = all_rows(
        f"SELECT {columns(Round, 'r')}, {columns(Publication, 'p')} "
        f"FROM {Round._meta.db_table} r "
        f"LEFT JOIN {Publication._meta.db_table} p ON p.round_id = r.id "
        f"{'WHERE ' + where if where else ''} ORDER BY r.opens_on DESC, r.id DESC",
        params,
    )
    published = Round._meta.get_field("publication")
    of_round = Publication._meta.get_field("round")
    rounds = []
    for row in rows:
        round_, publication = instances(row, Round, Publication)
        published.set_cached_value(round_, publication)
        if publication is not None:
            of_round.set_cached_value(publication, round_)
        rounds.append(round_)
    publish_due(rounds)  # the first read after a round closed publishes its figures
    return rounds


def _team(request: HttpRequest, pk: int):
    team = access.team_for_dashboard(request.user, pk)
    rounds = _rounds(
        f"EXISTS (SELECT 1 FROM {Round.teams.through._meta.db_table} rt "
        "WHERE rt.round_id = r.id AND rt.team_id = %s)",
        [team.pk],
    )
    round_ = _pick_round(request, rounds)
    view = confidentiality.team_view(
        request.user, team, round_, _pick_perspective(request, round_), rounds
    )
    return view, rounds


@login_required
def team_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    view, rounds = _team(request, pk)
    page = request.GET.get("page", "")
    page_number = int(page) if page.isdecimal() else 1

    @cache
    def member_page():  # read only when the page does not have it rendered already
        return members.member_page(
            view.round,
            [view.team.pk],
            view.perspective,
            view.indicators,
            page_number,
        )

    @cache
    def chart():  # likewise
        return _team_chart(view)

    return render(
        request,
        "figures/team_dashboard.html",
        {
            "page_key": _team_page_key(request, view, rounds, page_number),
            "view": view,
            "team": view.team,
            "round": view.round,
            "rounds": rounds,
            "perspective": view.perspective,
            "perspectives": _perspectives(view.round),
            "shows_members": view.reads_members,
            "remarks": lambda: confidentiality.internal_remarks(request.user, view),
            "member_page": member_page,
            "page_number": page_number,
            "min_group_size": _min_group_size(view.round),
            "chart": chart,
        },
    )


def _team_page_key(request, view: confidentiality.TeamView, rounds, page_number: int):
    """What the content of a published team page depends on, besides the development actions
    and the outcome values (their stamps are read by the template): the published figures
    and trend (with the target level and group size frozen in the publication), and what
    this viewer may see and do there. None while anything on the page can
    still change (an open round in view or in the trend)."""
    if view.cache_key is None or view.trend_cache_key is None:
        return None
    team = view.team
    parts = (
        view.cache_key,
        view.trend_cache_key,
        page_number,
        get_language(),
        request.user.is_staff,
        team.is_manager,
        team.name,
        team.department.name,
        [(r.pk, r.name, r.is_attributed) for r in rounds],  # the round picker
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def _perspectives(round_: Round) -> list[str]:
    return PERSPECTIVES if round_.is_attributed else PERSPECTIVES[:1]


def _min_group_size(round_: Round) -> int:
    if confidentiality.is_published(round_):
        return round_.publication.min_group_size
    return settings.KLANTGERICHT_MIN_GROUP_SIZE


def _team_chart(view: confidentiality.TeamView) -> dict:
    people = view.people
    return {
        "distribution": {
            "labels": [str(n) for n in LEVELS],
            "data": [people.distribution[n] for n in LEVELS] if people.shown else [],
            "label": _("people"),
            "target": view.target_level,
        },
        "trend": {
            "labels": [point.round.name for point in view.trend],
            "data": [
                None
                if point.people.share_at_target is None
                else round(100 * point.people.share_at_target)
                for point in view.trend
            ],
            "label": _("% at or above target"),
        },
    }


def _number(value, digits: int = 2):
    return None if value is None else round(float(value), digits)


@login_required
def team_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    view, _rounds_ = _team(request, pk)
    internal = view.internal is not None
    header = [_("part"), _("what"), _("self"), _("manager"), _("gap (self − manager)")]
    if internal:
        header.append(_("internal customers"))

    def cell(figure):
        if figure is None:
            return None
        if figure.value is not None:
            return _number(figure.value)
        return _withheld_text(figure.withheld, view.round) if figure.withheld else None

    def line(*values):
        return [*values, *([None] * (len(header) - len(values)))]

    def rows():
        people = view.people
        yield line(_("participation"), _("submitted"), people.submitted)
        yield line(_("participation"), _("expected"), people.expected)
        if internal:
            yield line(
                _("participation"), _("internal customers"), *[None] * 3, view.internal.submitted
            )
        if not people.shown:
            yield line(_("withheld"), _withheld_text(people.withheld, view.round))
        else:
            for level, count in people.distribution.items():
                yield line(_("attained level"), str(level), count)
            yield line(
                _("share at or above target"),
                str(view.target_level),
                _number(people.share_at_target, 3),
            )
        for kind, table in ((_("level"), view.levels), (_("behaviour"), view.behaviours)):
            for row in table:
                label = (
                    f"{row.item.number}. {row.item.name}"
                    if kind == _("level")
                    else f"{row.item.level.number}.{row.item.position} {row.item.text}"
                )
                values = [kind, label, cell(row.self), cell(row.manager), _number(row.gap)]
                if internal:
                    values.append(cell(row.internal))
                yield values

    filename = f"{slugify(view.team.name)}-{slugify(view.round.name)}"
    return EXPORTS[fmt](filename, header, rows())


def _withheld_text(reason: str, round_: Round) -> str:
    if reason == confidentiality.PENDING:
        return _("published when the round closes")
    if reason == "complement":
        return _("not shown: together with the other figures it would reveal a smaller group")
    return _("not shown: fewer than %(k)s answers") % {"k": _min_group_size(round_)}


@login_required
def team_people_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """Each member's ratings, for those who may read them one by one."""
    view, _rounds_ = _team(request, pk)
    if not (view.sees_answers and view.round.is_attributed):
        raise Http404("No per-person export for this person.")
    return _people_export(view.round, [view.team.pk], view.perspective, view.team.name, fmt)


def _people_export(round_: Round, team_ids: list[int], perspective: str, scope: str, fmt: str):
    indicators = confidentiality.indicators_of(round_)
    header = [
        _("username"),
        _("name"),
        _("team"),
        _("rated by"),
        _("attained level"),
        *[f"{i.level.number}.{i.position} {i.text}" for i in indicators],
    ]
    filename = f"{slugify(scope)}-{slugify(round_.name)}-{perspective}"
    return EXPORTS[fmt](filename, header, members.rows(round_, team_ids, perspective, indicators))


# --- Organisation ----------------------------------------------------------------------------


def _organisation(request: HttpRequest, *, all_teams: bool = False) -> dict:
    allowed = access.departments_for_rollup(request.user)

    @cache
    def every_department() -> list[tuple[int, str, int | None]]:
        # HR may open every department: the filter lists them, the chosen one is found among
        # them and the tree below it is built from them. One query for the three, and none
        # where none of it is read (an export of the whole organisation).
        return list(Department.objects.values_list("pk", "name", "parent_id"))

    department = None
    wanted = request.GET.get("department", "")
    if wanted:
        if not wanted.isdecimal():
            raise Http404("No such department.")
        if allowed is None:
            department = _department_among(every_department(), int(wanted))
        else:
            department = get_object_or_404(allowed, pk=int(wanted))
    elif allowed is not None:
        department = allowed.first()
        if department is None:
            raise Http404("No organisation dashboard for this person.")

    if allowed is None:
        options = SimpleLazyObject(lambda: [(pk, name) for pk, name, _ in every_department()])
    else:
        options = allowed.values_list("pk", "name")

    if department is None:
        rounds = _rounds()
    else:
        below = confidentiality.department_ids(
            department,
            [(pk, parent) for pk, _, parent in every_department()] if allowed is None else None,
        )
        rounds = _rounds(*_has_team_in(below))
    round_ = _pick_round(request, rounds)
    perspective = _pick_perspective(request, round_)
    page = request.GET.get("page", "")
    page_number = int(page) if page.isdecimal() else 1

    # Read only when the page does not have its figures rendered already.
    view = SimpleLazyObject(
        lambda: confidentiality.organisation_view(
            request.user, round_, perspective, department, page=page_number, all_teams=all_teams
        )
    )

    cache_key = None
    if confidentiality.is_published(round_):
        # What the figures part shows depends on the publication, the scope and page, and
        # on whose answers the viewer reads one by one: HR's are all, a manager's their own.
        who = "hr" if request.user.is_staff else f"u{request.user.pk}"
        publication = round_.publication
        cache_key = (
            f"{publication.pk}.{publication.published_at.timestamp()}."
            f"{department.pk if department else 0}.{perspective}.{page_number}.{who}"
        )
    return {
        "view": view,
        "cache_key": cache_key,
        "department": department,
        # (pk, name) for the filter: no model instance per department on every page.
        "departments": options,
        "rounds": rounds,
        "round": round_,
        "perspective": perspective,
        "perspectives": _perspectives(round_),
        "levels": list(LEVELS),
        "min_group_size": _min_group_size(round_),
    }


def _has_team_in(departments: list[int]) -> tuple[str, list[int]]:
    """A round (`r`) has a team in one of these departments. EXISTS stops at the first such
    team, where a join would read them all and remove the duplicates (PostgreSQL: 0.4 ms
    against 2.6–6.7 ms for a division)."""
    through, team = Round.teams.through._meta.db_table, Team._meta.db_table
    return (
        f"EXISTS (SELECT 1 FROM {through} rt JOIN {team} t ON t.id = rt.team_id "
        f"WHERE rt.round_id = r.id AND t.department_id IN ({placeholders(departments)}))",
        departments,
    )


def _department_among(rows: list[tuple[int, str, int | None]], pk: int) -> Department:
    """The department `pk` from rows of (pk, name, parent), its every field; else 404."""
    row = next((row for row in rows if row[0] == pk), None)
    if row is None:
        raise Http404("No such department.")
    return Department.from_db(Department.objects.db, ["id", "name", "parent_id"], row)


@login_required
def organisation_dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "figures/organisation_dashboard.html", _organisation(request))


@login_required
def organisation_export(request: HttpRequest, fmt: str) -> HttpResponse:
    view = _organisation(request, all_teams=True)["view"]
    header = [
        _("team"),
        _("department"),
        _("submitted"),
        _("expected"),
        _("share at or above target"),
        _("mean attained level"),
        *[_("level %(n)s") % {"n": n} for n in LEVELS],
        _("note"),
    ]

    def line(name: str, department: str, people: confidentiality.People) -> list:
        return [
            name,
            department,
            people.submitted,
            people.expected,
            _number(people.share_at_target, 3),
            _number(people.mean_level),
            *[people.distribution[n] if people.shown else None for n in LEVELS],
            _withheld_text(people.withheld, view.round) if people.withheld else None,
        ]

    def rows():
        scope = view.scope.name if view.scope else _("organisation")
        yield line(_("Total"), scope, view.total)
        for row in view.departments:
            yield line("", row.group.name, row.people)
        for row in view.teams:
            parent = row.group.parent
            yield line(row.group.name, parent.name if parent else "", row.people)

    scope = view.scope.name if view.scope else _("organisation")
    return EXPORTS[fmt](f"{slugify(scope)}-{slugify(view.round.name)}", header, rows())


@login_required
def organisation_people_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """Each member's ratings over a department or the organisation: HR, in development rounds."""
    context = _organisation(request)
    round_, perspective, department = (
        context["round"],
        context["perspective"],
        context["department"],
    )
    team_ids = None if department is None else confidentiality.department_team_ids(department)
    viewer = confidentiality.viewer_for(request.user, round_)
    if not viewer.sees_answers(None if team_ids is None else set(team_ids), perspective):
        raise Http404("No per-person export for this person.")
    if team_ids is None:
        team_ids = list(round_.teams.values_list("pk", flat=True))
    scope = context["department"].name if context["department"] else _("organisation")
    return _people_export(round_, team_ids, perspective, scope, fmt)
