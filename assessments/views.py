"""Views: look up with access, bind the form, call the service, render or redirect."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .models import Framework, Indicator


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "assessments/home.html")


@login_required
def model(request: HttpRequest) -> HttpResponse:
    framework = Framework.objects.order_by("-created_at", "-id").first()
    levels = (
        framework.levels.prefetch_related(
            Prefetch("indicators", queryset=Indicator.objects.order_by("position"))
        )
        if framework
        else []
    )
    return render(request, "assessments/model.html", {"framework": framework, "levels": levels})
