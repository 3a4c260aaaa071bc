"""Views: look up with access, bind the form, call the service, render or redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import access
from .forms import AssessmentForm, initial_answers, ordered_levels
from .models import Assessment, Framework, Indicator, Membership, Rating
from .results import person_result
from .services import (
    AssessmentLocked,
    IncompleteAssessment,
    StaleRevision,
    assessment_save,
    assessment_submit,
)

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
    totals = dict(
        Indicator.objects.filter(level__framework__in={a.round.framework_id for a in assessments})
        .values_list("level__framework")
        .annotate(n=Count("id"))
    )
    for assessment in assessments:
        assessment.total = totals.get(assessment.round.framework_id, 0)
    open_items = [a for a in assessments if a.round.is_open(today) and not a.is_submitted]
    done = [a for a in assessments if a.is_submitted]
    missed = [a for a in assessments if a.round.is_closed(today) and not a.is_submitted]
    current_teams = Membership.objects.current(today).filter(person=request.user)
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
            "memberships": current_teams.select_related("team"),
        },
    )


@login_required
def model(request: HttpRequest) -> HttpResponse:
    # The model people are rated on: that of the latest round; a new version still being
    # edited only shows once a round uses it (or when no round exists yet).
    framework = (
        Framework.objects.filter(rounds__isnull=False).order_by("-rounds__opens_on").first()
        or Framework.objects.order_by("-created_at", "-id").first()
    )
    levels = ordered_levels(framework) if framework else []
    return render(request, "assessments/model.html", {"framework": framework, "levels": levels})


def _form_for(assessment: Assessment, data=None) -> AssessmentForm:
    framework = assessment.round.framework
    ratings = Rating.objects.filter(assessment=assessment)
    reflections = assessment.reflections.all()
    initial = initial_answers(ratings, reflections)
    initial["revision"] = assessment.revision
    return AssessmentForm(
        data,
        initial=initial,
        framework=framework,
        levels=ordered_levels(framework),
        questions=framework.questions.all(),
        with_reflection=assessment.perspective == Assessment.Perspective.SELF,
    )


def _render_form(
    request: HttpRequest, assessment: Assessment, form: AssessmentForm, status: int = 200, **extra
) -> HttpResponse:
    today = timezone.localdate()
    editable = not assessment.is_submitted and assessment.round.is_open(today)
    total = len(form.indicator_ids)
    values = form.data if form.is_bound else form.initial
    answered = sum(1 for pk in form.indicator_ids if values.get(f"r{pk}"))
    return render(
        request,
        "assessments/assessment_form.html",
        {
            "assessment": assessment,
            "form": form,
            "editable": editable,
            "answered": answered,
            "total": total,
            **extra,
        },
        status=status,
    )


@login_required
def assessment_form(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = access.assessment_to_fill_in(request.user, pk)
    if request.method != "POST":
        return _render_form(request, assessment, _form_for(assessment))

    action = request.POST.get("action", "save")
    if assessment.is_submitted:
        if action == "submit":  # a second click on submit: it is already stored, once
            messages.info(request, _("Your assessment has been submitted."))
            return redirect(_result_url(assessment))
        return _locked(request, assessment, _form_for(assessment, request.POST))
    form = _form_for(assessment, request.POST)
    if unknown := form.unknown_fields():
        return _render_form(
            request,
            assessment,
            _form_for(assessment),
            status=400,
            error=_(
                "The form named questions that are not part of this assessment (%(fields)s). "
                "Nothing was saved."
            )
            % {"fields": ", ".join(unknown[:5])},
        )
    if action not in ("save", "submit") or not form.is_valid():
        return _render_form(
            request,
            assessment,
            form,
            status=400,
            error=_("Some answers are not valid; they are marked below. Nothing was saved yet."),
        )
    save = assessment_submit if action == "submit" else assessment_save
    try:
        save(assessment=assessment, answers=form.answers(), revision=form.cleaned_data["revision"])
    except AssessmentLocked:
        assessment.refresh_from_db()
        if assessment.is_submitted and action == "submit":
            messages.info(request, _("Your assessment has been submitted."))
            return redirect(_result_url(assessment))
        return _locked(request, assessment, form)
    except StaleRevision:
        return _render_form(
            request,
            assessment,
            form,
            status=409,
            error=_(
                "This draft was saved elsewhere (in another tab or window) after you opened it. "
                "Your answers are shown below as you entered them; check them and save again."
            ),
            revision=Assessment.objects.get(pk=assessment.pk).revision,
        )
    except IncompleteAssessment as incomplete:
        assessment.refresh_from_db()
        return _render_form(
            request,
            assessment,
            _form_for(assessment, None),
            status=400,
            error=_(
                "Your answers are saved, but not submitted yet: %(count)d behaviours still need "
                "an answer (choose “%(cannot)s” where you cannot judge)."
            )
            % {
                "count": len(incomplete.missing),
                "cannot": assessment.round.framework.cannot_rate_label,
            },
            missing=set(incomplete.missing),
        )
    if action == "submit":
        messages.success(request, _("Thank you. Your assessment has been submitted."))
        return redirect(_result_url(assessment))
    messages.success(request, _("Your draft is saved."))
    return redirect("assessments:assessment", pk=assessment.pk)


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
    """Saves just the fields the page sends, as the person goes; answers in JSON."""
    assessment = access.assessment_to_fill_in(request.user, pk)
    data = request.POST.copy()
    data.setdefault("revision", str(assessment.revision))
    form = _form_for(assessment, data)
    if unknown := form.unknown_fields():
        return JsonResponse(
            {"error": _("Unknown question: %(fields)s") % {"fields": ", ".join(unknown[:5])}},
            status=400,
        )
    if not form.is_valid():
        return JsonResponse(
            {"error": _("Some answers are not valid."), "fields": list(form.errors)}, status=400
        )
    try:
        saved = assessment_save(assessment=assessment, answers=form.answers(only_posted=True))
    except AssessmentLocked:
        message = (
            _("This assessment has been submitted and can no longer be changed.")
            if Assessment.objects.get(pk=pk).is_submitted
            else _("The round is not open: nothing can be changed now.")
        )
        return JsonResponse({"error": message}, status=409)
    answered = (
        Rating.objects.filter(assessment=saved)
        .filter(Q(value__isnull=False) | Q(cannot_rate=True))
        .count()
    )
    return JsonResponse(
        {
            "revision": saved.revision,
            "answered": answered,
            "total": len(form.indicator_ids),
            "saved_at": timezone.localtime(saved.updated_at).strftime("%H:%M:%S"),
        }
    )


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
