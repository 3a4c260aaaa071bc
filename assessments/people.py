"""People come and go; what they said and what was said of them stays."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import Assessment, Membership


def has_assessments(person: AbstractBaseUser) -> bool:
    """Whether the person gave or received an assessment: then they are part of the history."""
    return Assessment.objects.filter(Q(subject=person) | Q(assessor=person)).exists()


@transaction.atomic
def person_leave_organisation(
    *, person: AbstractBaseUser, today: datetime.date | None = None
) -> int:
    """Deactivates the account and ends the person's memberships; returns how many ended.

    Their assessments, given and received, stay as they are, in the teams they were made in.
    """
    today = today or timezone.localdate()
    person.is_active = False
    person.save(update_fields=["is_active"])
    return Membership.objects.filter(person=person).end(today)
