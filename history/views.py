"""A person's own page: their results over the rounds and their development actions."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from .queries import person_history


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    # Only ever the person's own: the page has no id that could name someone else.
    history = person_history(person=request.user)
    return render(
        request,
        "history/mine.html",
        {
            "history": history,
            "lines": list(reversed(history.lines)),  # newest first in the table
            "chart": history.chart_data(_("Self"), _("Manager")),
        },
    )
