"""Views: look up with access, bind the form, call the service, render or redirect."""

from __future__ import annotations

import re
from typing import NamedTuple

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from . import access, progress
from .forms import AssessmentForm, initial_answers, ordered_levels
from .models import (
    DEFAULT_TARGET_LEVEL,
    Assessment,
    Department,
    Framework,
    Indicator,
    Membership,
    Rating,
    Team,
)
from .results import person_result
from .services import (
    CANNOT_RATE,
    AssessmentLocked,
    Saved,
    assessment_save,
    assessment_save_choice,
    assessment_submit,
)
from .structure import round_structure

User = get_user_model()


@login_required
def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    answered = Count(
        "ratings", filter=Q(ratings__value__isnull=False) | Q(ratings__cannot_rate=True)
    )
    assessments = list(
        Assessment.objects.filter(assessor=request.user)
        .select_related("round__framework", "subject", "team")
        .annotate(answered=answered)
        .order_by("-round__closes_on", "perspective", "subject__first_name", "subject__last_name")
    )
    # Behaviours per level of each framework: a round may ask some of the levels only.
    per_level = (
        Indicator.objects.filter(level__framework__in={a.round.framework_id for a in assessments})
        .values_list("level__framework", "level__number")
        .annotate(n=Count("id"))
        .order_by()
    )
    totals: dict[int, dict[int, int]] = {}
    for framework_id, number, count in per_level:
        totals.setdefault(framework_id, {})[number] = count
    for assessment in assessments:
        counts = totals.get(assessment.round.framework_id, {})
        asked = assessment.round.asked_levels or counts
        assessment.total = sum(counts.get(number, 0) for number in asked)
        assessment.days_left = progress.days_left(assessment.round, today)
    open_items = [a for a in assessments if a.round.is_open(today) and not a.is_submitted]
    done = [a for a in assessments if a.is_submitted]
    missed = [a for a in assessments if a.round.is_closed(today) and not a.is_submitted]
    memberships = list(
        Membership.objects.current(today).filter(person=request.user).select_related("team")
    )
    manages = any(m.role == Membership.Role.MANAGER for m in memberships)
    return render(
        request,
        "assessments/home.html",
        {
            "open_self": [a for a in open_items if a.perspective == Assessment.Perspective.SELF],
            "open_members": [
                a for a in open_items if a.perspective == Assessment.Perspective.MANAGER
            ],
            "done": done,
            "missed": missed,
            "today": today,
            "memberships": memberships,
            "open_rounds": progress.open_rounds(today) if request.user.is_staff else [],
            "managed_teams": progress.managed_teams(request.user, today) if manages else [],
        },
    )


@login_required
def round_outstanding(request: HttpRequest, pk: int) -> HttpResponse:
    """HR's list of the people who have not submitted (all) their assessments of a round."""
    round_ = access.round_for_hr(request.user, pk)
    team = _pk_or_404(request, "team", Team)
    department = _pk_or_404(request, "department", Department)
    people = progress.outstanding_people(
        round_,
        team_id=team.pk if team else None,
        department_id=department.pk if department else None,
    )
    return render(
        request,
        "assessments/round_outstanding.html",
        {
            "round": round_,
            "team": team,
            "department": department,
            "page": Paginator(people, 100).get_page(request.GET.get("page")),
            "days_left": progress.days_left(round_, timezone.localdate()),
            "is_open": round_.is_open(),
        },
    )


def _pk_or_404(request: HttpRequest, name: str, model):
    """The object a query parameter names, None without one, 404 for one that is not."""
    value = request.GET.get(name)
    if value is None:
        return None
    if not value.isdecimal():
        raise Http404(f"No such {name}.")
    return get_object_or_404(model, pk=value)


@login_required
def model(request: HttpRequest) -> HttpResponse:
    # The model people are rated on: that of the latest round; a new version still being
    # edited only shows once a round uses it (or when no round exists yet).
    framework = (
        Framework.objects.filter(rounds__isnull=False).order_by("-rounds__opens_on").first()
        or Framework.objects.order_by("-created_at", "-id").first()
    )
    levels = ordered_levels(framework) if framework else []
    target, team_targets = _reader_target(request.user)
    return render(
        request,
        "assessments/model.html",
        {"framework": framework, "levels": levels, "target": target, "team_targets": team_targets},
    )


def _reader_target(user) -> tuple[int | None, list[tuple[str, int]]]:
    """The target level that holds for the reader, or None when their teams' targets differ
    (the list then says which team has which); people in no team read the default."""
    teams = list(
        Membership.objects.current()
        .filter(person=user)
        .order_by("team__name")
        .values_list("team__name", "team__target_level")
        .distinct()
    )
    if not teams:
        return DEFAULT_TARGET_LEVEL, []
    levels = {level for _, level in teams}
    return (levels.pop() if len(levels) == 1 else None), teams


def _form_for(assessment: Assessment, data=None, *, with_answers: bool = False) -> AssessmentForm:
    """The form of the assessment's round; `with_answers` fills it with what is stored."""
    initial = {}
    if with_answers:
        initial = initial_answers(
            Rating.objects.filter(assessment=assessment), assessment.reflections.all()
        )
    return AssessmentForm(
        data,
        initial=initial,
        structure=round_structure(assessment.round),
        with_reflection=assessment.perspective == Assessment.Perspective.SELF,
    )


def _render_form(
    request: HttpRequest, assessment: Assessment, form: AssessmentForm, status: int = 200, **extra
) -> HttpResponse:
    today = timezone.localdate()
    editable = not assessment.is_submitted and assessment.round.is_open(today)
    return render(
        request,
        "assessments/assessment_form.html",
        {
            "assessment": assessment,
            "form": form,
            "editable": editable,
            "answered": form.answered(),
            "total": len(form.indicator_ids),
            **extra,
        },
        status=status,
    )


# What a page sends is a few kilobytes of form fields. DATA_UPLOAD_MAX_MEMORY_SIZE bounds the
# fields of a body, but not the files of a multipart one, which Django spools to disk.
FORM_CONTENT_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}


def _refused_body(request: HttpRequest) -> tuple[int, str] | None:
    """Status and reason for a body that no assessment page sends; None for a good one."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is not None and length > limit:
        return 413, _("This request is too large to hold answers. Nothing was saved.")
    if length and request.content_type not in FORM_CONTENT_TYPES:
        return 415, _("This request does not hold form answers. Nothing was saved.")
    if request.FILES:
        return 400, _("Answers are text, not files. Nothing was saved.")
    return None


def _merged_notice() -> str:
    return _(
        "An answer was changed elsewhere (in another tab or window) while you were working on "
        "it. Both versions are kept: tidy them up as you like."
    )


@login_required
def assessment_form(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method != "POST":
        assessment = access.assessment_to_fill_in(request.user, pk)
        return _render_form(request, assessment, _form_for(assessment, with_answers=True))
    if refused := _refused_body(request):
        status, reason = refused
        return HttpResponse(reason, status=status, content_type="text/plain; charset=utf-8")

    action = request.POST.get("action", "save")
    with transaction.atomic():
        assessment = access.assessment_to_fill_in(request.user, pk, lock=True)
        if assessment.is_submitted and action == "submit":
            # A second click on submit: it is stored already, once.
            messages.info(request, _("Your assessment has been submitted."))
            return redirect(_result_url(assessment))
        form = _form_for(assessment, request.POST)
        if refusal := _refusal(form, action):
            return _render_form(request, assessment, form, status=400, error=refusal)
        save = assessment_submit if action == "submit" else assessment_save
        try:
            saved = save(assessment=assessment, answers=form.answers(), locked=True)
        except AssessmentLocked:
            return _locked(request, assessment, form)
    return _after_save(request, assessment, form, action, saved)


def _refusal(form: AssessmentForm, action: str) -> str | None:
    """Why nothing of the posted form can be saved, if so."""
    if unknown := form.unknown_fields():
        return _(
            "The form named questions that are not part of this assessment (%(fields)s). "
            "Nothing was saved."
        ) % {"fields": ", ".join(unknown[:5])}
    if action not in ("save", "submit") or not form.is_valid():
        return _("Some answers are not valid; they are marked below. Nothing was saved yet.")
    return None


def _after_save(
    request: HttpRequest, assessment: Assessment, form: AssessmentForm, action: str, saved: Saved
) -> HttpResponse:
    if saved.merged:
        messages.warning(request, _merged_notice())
    if saved.missing:
        return _render_form(
            request,
            assessment,
            _form_for(assessment, with_answers=True),
            status=400,
            error=ngettext(
                "Your answers are saved, but not submitted yet: %(count)d behaviour still needs "
                "an answer (choose “%(cannot)s” where you cannot judge).",
                "Your answers are saved, but not submitted yet: %(count)d behaviours still need "
                "an answer (choose “%(cannot)s” where you cannot judge).",
                len(saved.missing),
            )
            % {
                "count": len(saved.missing),
                "cannot": form.structure.framework.cannot_rate_label,
            },
            missing=set(saved.missing),
        )
    if action == "submit":
        messages.success(request, _("Thank you. Your assessment has been submitted."))
        return redirect(_result_url(assessment))
    url = reverse("assessments:assessment", args=[assessment.pk])
    if cleared := form.cleaned_data["clear"]:
        messages.success(request, _("The answer is cleared; your other changes are saved."))
        return redirect(f"{url}#indicator-{cleared[0]}")
    messages.success(request, _("Your draft is saved."))
    return redirect(url)


def _locked(request: HttpRequest, assessment: Assessment, form: AssessmentForm) -> HttpResponse:
    if assessment.is_submitted:
        error = _("This assessment has been submitted and can no longer be changed.")
        status = 409
    else:
        error = _(
            "The round is not open (it runs from %(opens)s to %(closes)s): "
            "nothing can be changed now."
        ) % {
            "opens": date_format(assessment.round.opens_on),
            "closes": date_format(assessment.round.closes_on),
        }
        status = 403
    return _render_form(request, assessment, form, status=status, error=error)


@login_required
@require_POST
def assessment_autosave(request: HttpRequest, pk: int) -> JsonResponse:
    """Saves the fields the page changed, as the person goes; answers in JSON with the bases
    the page continues from and the texts that were merged with a version saved elsewhere."""
    if refused := _refused_body(request):
        status, reason = refused
        return JsonResponse({"error": reason}, status=status)
    if (click := _one_click(request.POST)) and assessment_save_choice(
        assessment_pk=pk,
        assessor_pk=request.user.pk,
        indicator_pk=click.indicator,
        choice=click.choice,
    ):
        return _autosaved({"bases": {click.field: str(click.choice)}, "merged": {}}, Saved())
    with transaction.atomic():
        assessment = access.assessment_to_fill_in(request.user, pk, lock=True)
        form = _form_for(assessment, request.POST)
        if unknown := form.unknown_fields():
            return JsonResponse(
                {"error": _("Unknown question: %(fields)s") % {"fields": ", ".join(unknown[:5])}},
                status=400,
            )
        if not form.is_valid():
            return JsonResponse(
                {"error": _("Some answers are not valid."), "fields": list(form.errors)},
                status=400,
            )
        try:
            saved = assessment_save(assessment=assessment, answers=form.answers(), locked=True)
        except AssessmentLocked as locked:
            if locked.submitted:
                error = _("This assessment has been submitted and can no longer be changed.")
            else:
                error = _("The round is not open: nothing can be changed now.")
            return JsonResponse({"error": error}, status=409 if locked.submitted else 403)
    return _autosaved(form.confirmation(saved), saved)


def _autosaved(confirmation: dict, saved: Saved) -> JsonResponse:
    """The answer to an autosave that saved: the page's bases and merged texts, and when."""
    return JsonResponse(
        {
            **confirmation,
            "notice": _merged_notice() if saved.merged else "",
            "saved_at": timezone.localtime().strftime("%H:%M:%S"),
        }
    )


RATING_FIELD = re.compile(r"r([0-9]{1,18})")


class Click(NamedTuple):
    field: str  # r<indicator id>
    indicator: int
    choice: int | str  # a scale value, or CANNOT_RATE


def _one_click(data) -> Click | None:
    """The click of an autosave that changes one rating and nothing else, as the page sends
    it; None for anything else, which takes the whole way."""
    names = set(data) - {"csrfmiddlewaretoken"}
    ratings = [name for name in names if RATING_FIELD.fullmatch(name)]
    if len(ratings) != 1 or names - {ratings[0], f"b-{ratings[0]}"}:
        return None
    name = ratings[0]
    values, bases = data.getlist(name), data.getlist(f"b-{name}") or [""]
    if len(values) != 1 or len(bases) != 1 or len(bases[0]) > 16 or values[0] == bases[0]:
        return None  # unchanged, or a base the form refuses: the whole way says so
    value = values[0]
    if value == CANNOT_RATE:
        return Click(name, int(name[1:]), CANNOT_RATE)
    if re.fullmatch(r"[1-9][0-9]?", value):
        return Click(name, int(name[1:]), int(value))
    return None


def _result_url(assessment: Assessment) -> str:
    return reverse(
        "assessments:result",
        kwargs={"round_pk": assessment.round_id, "person_pk": assessment.subject_id},
    )


@login_required
def result(request: HttpRequest, round_pk: int, person_pk: int) -> HttpResponse:
    round_, person_pk = access.result_subject(request.user, round_pk, person_pk)
    subject = get_object_or_404(User, pk=person_pk)
    outcome = person_result(round_=round_, subject=subject, viewer=request.user)
    return render(
        request,
        "assessments/result.html",
        {"result": outcome, "chart": outcome.chart_data(), "is_own": subject == request.user},
    )
