"""Publishing a round's figures: once, when the round closes, never to change afterwards."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from assessments.models import Membership, Round
from klantgericht.sql import insert_rows

from . import suppression
from .compute import Sums, Tree, measures, rank, round_figures
from .models import Group, Mean, PeopleFigures, Perspective, Publication, Withheld

BATCH = 2000


def publish_due(rounds: Iterable[Round]) -> None:
    """Publishes every round of `rounds` that has closed and is not published yet.

    Called by the pages before they read: the first read after a round's close date
    publishes it, without a command or a scheduler.
    """
    today = timezone.localdate()
    for round_ in rounds:
        if round_.is_closed(today) and not _is_published(round_):
            publish(round_=round_)


def _is_published(round_: Round) -> bool:
    try:
        return round_.publication is not None
    except Publication.DoesNotExist:
        return False


def round_close_early(*, round_: Round) -> Publication:
    """HR closes an open round now: nobody can change an answer any more, and its figures
    are published."""
    return publish(round_=round_)


def publish(*, round_: Round) -> Publication:
    """Closes the round for good and stores its figures with the withheld ones marked.

    Two first readers at once: the round's row lock (PostgreSQL) or the unique publication
    (SQLite) lets one of them compute; the other reads what it stored.
    """
    try:
        with transaction.atomic():
            locked = Round.objects.select_for_update().get(pk=round_.pk)
            publication = Publication.objects.filter(round=locked).first()
            if publication is None:
                publication = _publish(locked)
    except IntegrityError:
        publication = Publication.objects.get(round=round_)
    round_.closed_at = publication.round.closed_at
    round_.publication = publication
    return publication


def _publish(round_: Round) -> Publication:
    now = timezone.now()
    if round_.closed_at is None:
        round_.closed_at = now
        round_.save(update_fields=["closed_at"])
    k = settings.KLANTGERICHT_MIN_GROUP_SIZE
    publication = Publication.objects.create(round=round_, published_at=now, min_group_size=k)
    tree = round_figures(round_)
    _withhold(tree, k, attributed=round_.is_attributed)
    rank(tree)
    groups = list(tree.groups.values())  # parents come before their children
    for group in groups:
        group.publication = publication
    for depth in sorted({g.path.count("/") + (g.kind == Group.Kind.TEAM) for g in groups}):
        Group.objects.bulk_create(
            [g for g in groups if g.path.count("/") + (g.kind == Group.Kind.TEAM) == depth],
            batch_size=BATCH,
        )
    PeopleFigures.objects.bulk_create(tree.people.values(), batch_size=BATCH)
    _insert_means(tree)
    return publication


def _insert_means(tree: Tree) -> None:
    """The means as plain rows, in multi-row INSERTs: 58,000 of them for a round of 10,000
    people, where bulk_create took 1.9 s of CPU to build and prepare their model instances
    (docs/performance.md). Their groups are saved already."""

    def row(key: str, perspective: str, measure: str, sums: Sums) -> tuple:
        item = int(measure[1:])
        level, indicator = (item, None) if measure.startswith("l") else (None, item)
        group = tree.groups[key].pk
        return (group, perspective, level, indicator, sums.count, sums.total, sums.withheld)

    insert_rows(
        Mean._meta.db_table,
        ["group_id", "perspective", "level_id", "indicator_id", "count", "total", "withheld"],
        [row(*key, sums) for key, sums in tree.means.items()],
        batch=BATCH,
    )


def _withhold(tree: Tree, k: int, *, attributed: bool) -> None:
    """Marks the figures that others may not see: one decision for the whole round.

    In a development round the team's managers read its answers one by one: those who rated
    them in this round and those who manage the team now.
    """
    parents = tree.parents()
    managers = {person: set(teams) for person, teams in tree.managers.items()}
    if attributed:
        for person, team in (
            Membership.objects.current()
            .filter(role=Membership.Role.MANAGER, team_id__in=_team_ids(tree))
            .values_list("person_id", "team_id")
        ):
            managers.setdefault(person, set()).add(team)
    known = [frozenset(f"t{team}" for team in teams) for teams in managers.values()]
    for (perspective, measure), counts in measures(tree).items():
        # Nobody reads an internal customer's answers one by one, a manager neither.
        knowing = [] if perspective == Perspective.INTERNAL else known
        decided = suppression.withhold(parents, counts, k, knowing)
        for key, reason in decided.items():
            if measure == "people":
                figures = tree.people.get((key, perspective))
                if figures is not None:
                    figures.withheld = Withheld(reason)
            else:
                mean = tree.means.get((key, perspective, measure))
                if mean is not None:
                    mean.withheld = Withheld(reason)


def _team_ids(tree: Tree) -> list[int]:
    return [g.team_id for g in tree.groups.values() if g.team_id is not None]
