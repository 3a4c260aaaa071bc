"""The internal customer's form: look up with access, bind the form, save, redirect."""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import access, services
from .forms import FeedbackForm
from .models import Answer, Feedback

FIELD = re.compile(r"^r\d+$")


@login_required
def feedback(request: HttpRequest, round_pk: int, team_pk: int) -> HttpResponse:
    round_, team = access.feedback_place(request.user, round_pk, team_pk)
    given = Feedback.objects.filter(round=round_, team=team, assessor=request.user).first()
    indicators = services.observable(round_)
    editable = round_.is_open() and not (given and given.is_submitted)

    def page(form: FeedbackForm, status: int = 200, **extra) -> HttpResponse:
        return render(
            request,
            "internal_customers/feedback.html",
            {
                "round": round_,
                "team": team,
                "form": form,
                "given": given,
                "editable": editable,
                "saved": request.GET.get("saved") == "1",
                "min_group_size": settings.KLANTGERICHT_MIN_GROUP_SIZE,
                **extra,
            },
            status=status,
        )

    if request.method != "POST":
        return page(FeedbackForm(initial=_initial(given), **_form_kwargs(round_, indicators)))
    form = FeedbackForm(request.POST, **_form_kwargs(round_, indicators))
    unknown = [name for name in request.POST if FIELD.match(name) and name not in form.fields]
    if unknown or not form.is_valid():
        return page(form, status=400, error=_("Some answers are not valid; nothing was saved yet."))
    if not editable:
        return page(
            form,
            status=409 if given and given.is_submitted else 403,
            error=_(
                "This rating can no longer be changed: it is submitted or the round is closed."
            ),
        )
    submit = request.POST.get("action") == "submit"
    try:
        given, missing = services.feedback_save(
            round_=round_,
            team=team,
            assessor=request.user,
            choices=form.choices(),
            remark=form.cleaned_data["remark"],
            submit=submit,
        )
    except services.FeedbackLocked:
        return page(
            form,
            status=409,
            error=_(
                "This rating can no longer be changed: it is submitted or the round is closed."
            ),
        )
    if missing:
        return page(
            form,
            status=400,
            error=ngettext(
                "Your answers are saved, but not submitted yet: %(count)d behaviour still "
                "needs an answer.",
                "Your answers are saved, but not submitted yet: %(count)d behaviours still "
                "need an answer.",
                len(missing),
            )
            % {"count": len(missing)},
            missing=set(missing),
        )
    messages.success(
        request,
        _("Thank you: your rating is submitted.") if submit else _("Your rating is saved."),
    )
    url = reverse("internal_customers:feedback", args=[round_.pk, team.pk])
    return redirect(f"{url}?saved=1")


def _form_kwargs(round_, indicators) -> dict:
    return {"framework": round_.framework, "indicators": indicators}


def _initial(given: Feedback | None) -> dict:
    if given is None:
        return {}
    initial = {"remark": given.remark}
    for answer in Answer.objects.filter(feedback=given):
        initial[f"r{answer.indicator_id}"] = (
            services.CANNOT_RATE if answer.cannot_rate else str(answer.value)
        )
    return initial
