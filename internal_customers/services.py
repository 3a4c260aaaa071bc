"""Saving and submitting an internal customer's rating, in one transaction each."""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from assessments.models import Indicator, Round, Team

from .models import Answer, Feedback

CANNOT_RATE = "na"


class FeedbackLocked(Exception):
    """Submitted already, or the round is not open."""

    def __init__(self, *, submitted: bool):
        super().__init__("submitted" if submitted else "closed")
        self.submitted = submitted


def observable(round_: Round) -> list[Indicator]:
    """The behaviours an internal customer rates in this round, in the model's order."""
    return list(
        Indicator.objects.filter(level__framework_id=round_.framework_id, observable=True)
        .select_related("level")
        .order_by("level__number", "position")
    )


@transaction.atomic
def feedback_save(
    *,
    round_: Round,
    team: Team,
    assessor: AbstractBaseUser,
    choices: Mapping[int, int | str],
    remark: str,
    submit: bool = False,
    today: datetime.date | None = None,
) -> tuple[Feedback, list[int]]:
    """Stores what was answered (a choice left empty stays as it was) and the remark; with
    `submit`, submits once every observable behaviour is answered. Returns the rating and
    what is still unanswered (a submit that it stops saves the answers all the same).

    The round's row is taken first, as a submit of an assessment does: a rating submitted
    while HR closes the round is in the published figures, or refused.
    """
    [closed_at] = (
        Round.objects.select_for_update(no_key=True)
        .filter(pk=round_.pk)
        .values_list("closed_at", flat=True)
    )
    today = today or timezone.localdate()
    if closed_at is not None or not round_.opens_on <= today <= round_.closes_on:
        raise FeedbackLocked(submitted=False)
    feedback, _ = Feedback.objects.select_for_update().get_or_create(
        round=round_, team=team, assessor=assessor
    )
    if feedback.is_submitted:
        raise FeedbackLocked(submitted=True)
    answered = {pk: c for pk, c in choices.items() if c not in (None, "")}
    if answered:
        Answer.objects.bulk_create(
            [
                Answer(
                    feedback=feedback,
                    indicator_id=pk,
                    value=None if choice == CANNOT_RATE else int(choice),
                    cannot_rate=choice == CANNOT_RATE,
                )
                for pk, choice in answered.items()
            ],
            update_conflicts=True,
            unique_fields=["feedback", "indicator"],
            update_fields=["value", "cannot_rate"],
        )
    feedback.remark = remark
    fields = ["remark"]
    if submit:
        given = set(Answer.objects.filter(feedback=feedback).values_list("indicator_id", flat=True))
        missing = [i.pk for i in observable(round_) if i.pk not in given]
        if missing:
            feedback.save(update_fields=fields)
            return feedback, missing
        feedback.status, feedback.submitted_at = Feedback.Status.SUBMITTED, timezone.now()
        fields += ["status", "submitted_at"]
    feedback.save(update_fields=fields)
    return feedback, []
