"""Views: look up with access, bind the form, call the service, redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import access
from .access import Plan
from .forms import ActionForm, FollowUpForm
from .models import Action, Role
from .services import (
    ActionRefused,
    action_basis,
    action_confirm,
    action_delete,
    action_follow_up,
    action_propose,
    action_update,
    adding_refusal,
    follow_up_refusal,
)


def _posted(request: HttpRequest):
    """The posted data, even when empty (a POST is never read as a GET)."""
    return request.POST if request.method == "POST" else None


def _result_url(round_id: int, person_id: int) -> str:
    url = reverse("assessments:result", args=[round_id, person_id])
    return f"{url}#development-actions"


def _back(request: HttpRequest, action: Action) -> str:
    """Where a change returns to: the page it came from (the next round's form, say), or the
    result page of the action's round."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return _result_url(action.round_id, action.person_id)


def _refused(request: HttpRequest, refused: ActionRefused, back: str) -> HttpResponse:
    return render(
        request,
        "development/refused.html",
        {"message": refused.message, "back": back},
        status=refused.status,
    )


def _person_name(plan: Plan) -> str:
    """Whose action the form is about, when the person is not the one filling it in."""
    if plan.role == Role.PERSON:
        return ""
    return plan.person.get_full_name() or plan.person.get_username()


def _render_form(request, plan: Plan, form: ActionForm, basis, action=None, status=200):
    return render(
        request,
        "development/action_form.html",
        {"plan": plan, "form": form, "basis": basis, "action": action},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_new(request: HttpRequest, round_pk: int, person_pk: int) -> HttpResponse:
    plan = access.plan_for(request.user, round_pk, person_pk, change=True)
    count = Action.objects.filter(round=plan.round, person_id=plan.person_id).count()
    if refusal := adding_refusal(submitted=plan.submitted, count=count):
        back = _result_url(plan.round.pk, plan.person_id)
        return _refused(request, ActionRefused(refusal), back)
    basis = action_basis(plan=plan)
    form = ActionForm(
        _posted(request),
        basis=basis,
        today=timezone.localdate(),
        person_name=_person_name(plan),
    )
    if not form.is_valid():
        return _render_form(request, plan, form, basis, status=400 if form.is_bound else 200)
    try:
        action_propose(plan=plan, by=request.user, **form.cleaned_data)
    except ActionRefused as refused:
        return _refused(request, refused, _result_url(plan.round.pk, plan.person_id))
    if plan.role == Role.MANAGER:
        messages.success(request, _("The action is added and agreed."))
    else:
        messages.success(request, _("Your action is proposed; your manager confirms it."))
    return redirect(_result_url(plan.round.pk, plan.person_id))


def _plan_of(action: Action) -> Plan:
    return Plan(
        round=action.round,
        person=action.person,
        team_id=action.team_id,
        submitted=True,
        role=action.role,
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    action = access.action_for(request.user, pk, change=True)
    back = _result_url(action.round_id, action.person_id)
    if not action.may_edit(action.role):
        refused = ActionRefused(_("This action has been followed up; it can no longer be changed."))
        return _refused(request, refused, back)
    plan = _plan_of(action)
    basis = action_basis(plan=plan)
    today = timezone.localdate()
    form = ActionForm(
        _posted(request),
        basis=basis,
        today=today,
        action=action,
        person_name=_person_name(plan),
    )
    if not form.is_valid():
        status = 400 if form.is_bound else 200
        return _render_form(request, plan, form, basis, action=action, status=status)
    try:
        saved = action_update(action=action, by=request.user, **form.cleaned_data)
    except ActionRefused as refused:
        return _refused(request, refused, back)
    if saved.is_agreed:
        messages.success(request, _("The action is saved and agreed."))
    else:
        messages.success(request, _("The action is saved; your manager confirms it."))
    return redirect(back)


@login_required
@require_POST
def action_confirm_view(request: HttpRequest, pk: int) -> HttpResponse:
    action = access.action_for(request.user, pk, change=True)
    try:
        action_confirm(action=action, by=request.user)
    except ActionRefused as refused:
        return _refused(request, refused, _back(request, action))
    messages.success(request, _("The action is agreed."))
    return redirect(_back(request, action))


@login_required
@require_POST
def action_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    action = access.action_for(request.user, pk, change=True)
    back = _back(request, action)
    try:
        action_delete(action=action)
    except ActionRefused as refused:
        return _refused(request, refused, back)
    messages.success(request, _("The action is removed."))
    return redirect(back)


@login_required
@require_http_methods(["GET", "POST"])
def action_follow_up_view(request: HttpRequest, pk: int) -> HttpResponse:
    action = access.action_for(request.user, pk, change=True)
    back = _back(request, action)
    if refusal := follow_up_refusal(action, timezone.localdate()):
        return _refused(request, ActionRefused(refusal), back)
    form = FollowUpForm(_posted(request), action=action, prefix=f"a{action.pk}")
    if not form.is_valid():
        return render(
            request,
            "development/follow_up.html",
            {"action": action, "form": form, "back": back},
            status=400 if form.is_bound else 200,
        )
    try:
        action_follow_up(
            action=action,
            by=request.user,
            outcome=form.cleaned_data["outcome"],
            note=form.cleaned_data["note"],
        )
    except ActionRefused as refused:
        return _refused(request, refused, back)
    messages.success(request, _("What became of the action is recorded."))
    return redirect(back)
