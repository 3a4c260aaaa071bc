"""A person's e-mail preferences, and the pages that invitation and reset links lead to."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Assessment

from .forms import EveryonePasswordResetForm, PreferencesForm
from .models import Preferences
from .tokens import invitation_tokens


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    form = PreferencesForm(request.POST or None, instance=Preferences.of(request.user))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your preferences are saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


class PasswordLoginOnly:
    """With single sign-on only, nobody sets a password here: these pages do not exist."""

    def dispatch(self, request, *args, **kwargs):
        if not settings.KLANTGERICHT_PASSWORD_LOGIN:
            raise Http404("Password login is switched off.")
        return super().dispatch(request, *args, **kwargs)


class PasswordReset(PasswordLoginOnly, auth_views.PasswordResetView):
    form_class = EveryonePasswordResetForm


password_reset = PasswordReset.as_view()


def open_assessment_url(person) -> str:
    """The person's open self-assessment, or else their home page (which lists what is open)."""
    today = timezone.localdate()
    own = (
        Assessment.objects.filter(
            assessor=person,
            perspective=Assessment.Perspective.SELF,
            status=Assessment.Status.DRAFT,
            round__closed_at__isnull=True,
            round__opens_on__lte=today,
            round__closes_on__gte=today,
        )
        .order_by("round__closes_on")
        .first()
    )
    if own is None:
        return reverse("assessments:home")
    return reverse("assessments:assessment", args=[own.pk])


class InvitationAccept(PasswordLoginOnly, auth_views.PasswordResetConfirmView):
    """The invitation's link: choose a password, be logged in, and go to the assessment."""

    token_generator = invitation_tokens
    template_name = "notifications/invitation_accept.html"
    reset_url_token = "set-password"
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Welcome! Your password is set; you are logged in."))
        return response

    def get_success_url(self) -> str:
        return open_assessment_url(self.user)


invitation_accept = InvitationAccept.as_view()
