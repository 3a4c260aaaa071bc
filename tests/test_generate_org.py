"""The benchmark organisation that `generate_org` makes."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Count

from assessments import scoring
from assessments.models import (
    Assessment,
    Framework,
    Indicator,
    LevelResult,
    Membership,
    Rating,
    Round,
    Team,
)

User = get_user_model()
pytestmark = pytest.mark.django_db


def generate(**options):
    call_command("generate_org", people=40, teams=4, rounds=2, stdout=io.StringIO(), **options)


def test_it_generates_the_organisation_rounds_and_scored_assessments(settings):
    settings.DEBUG = True
    generate()
    framework = Framework.objects.order_by("id").first()
    indicators = Indicator.objects.filter(level__framework=framework).count()
    levels = framework.levels.count()
    assert (indicators, levels) == (21, 5)

    assert User.objects.filter(username__startswith="gen").count() == 40
    assert not User.objects.get(username="gen000001").has_usable_password()
    assert Team.objects.count() == 4
    assert Membership.objects.count() == 40
    assert Membership.objects.filter(role=Membership.Role.MANAGER).count() == 4
    assert all(
        team.memberships.filter(role=Membership.Role.MANAGER).count() == 1
        for team in Team.objects.all()
    )

    rounds = list(Round.objects.all())
    assert len(rounds) == 2
    for round_ in rounds:
        assert round_.kind == Round.Kind.DEVELOPMENT
        assert round_.framework == framework
        assert round_.is_closed()
        assert round_.teams.count() == 4
        assert round_.assessments.count() == 2 * 36
        assert round_.assessments.filter(perspective="self").count() == 36
        assert round_.assessments.filter(perspective="manager").count() == 36

    assessments = Assessment.objects.count()
    assert assessments == 2 * 2 * 36
    assert Rating.objects.count() == assessments * 21
    assert LevelResult.objects.count() == assessments * 5
    assert not Assessment.objects.exclude(status=Assessment.Status.SUBMITTED).exists()
    assert not Assessment.objects.filter(submitted_at=None).exists()
    assert not Assessment.objects.filter(attained_level=None).exists()
    assert not Rating.objects.exclude(value__in=[1, 2, 3, 4, 5]).exists()
    assert set(Assessment.objects.annotate(n=Count("ratings")).values_list("n", flat=True)) == {21}

    # Self assessments are by the subject, manager assessments by the team's manager.
    for assessment in Assessment.objects.all():
        if assessment.perspective == "self":
            assert assessment.assessor_id == assessment.subject_id
        else:
            assert Membership.objects.filter(
                person_id=assessment.assessor_id,
                team_id=assessment.team_id,
                role=Membership.Role.MANAGER,
            ).exists()
        assert Membership.objects.filter(
            person_id=assessment.subject_id,
            team_id=assessment.team_id,
            role=Membership.Role.EMPLOYEE,
        ).exists()

    # The stored levels agree with the scoring rules applied to the stored ratings.
    for assessment in Assessment.objects.order_by("id")[:: assessments // 8]:
        by_level = {}
        for number, value in assessment.ratings.order_by(
            "indicator__level__number", "indicator__position"
        ).values_list("indicator__level__number", "value"):
            by_level.setdefault(number, []).append(value)
        result = scoring.profile(
            [by_level[n] for n in sorted(by_level)],
            threshold=framework.mastery_threshold,
            min_rated_share=framework.min_rated_share,
        )
        assert assessment.attained_level == result.attained
        stored = {r.level.number: r for r in assessment.level_results.select_related("level")}
        for outcome in result.levels:
            assert stored[outcome.number].score == round(outcome.score, 2)
            assert stored[outcome.number].rated_count == outcome.rated
            assert stored[outcome.number].met == outcome.met

    # Teams differ: not every assessment lands on the same level.
    assert Assessment.objects.values("attained_level").distinct().count() > 1


def test_a_second_run_is_refused(settings):
    settings.DEBUG = True
    generate()
    with pytest.raises(CommandError, match="already generated"):
        generate()
    assert User.objects.filter(username__startswith="gen").count() == 40


def test_it_never_runs_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        generate()
    assert not User.objects.filter(username__startswith="gen").exists()


def test_force_runs_it_without_debug(settings):
    settings.DEBUG = False
    generate(force=True)
    assert Assessment.objects.count() == 2 * 2 * 36


def test_extra_teams_of_exactly_the_given_sizes_take_part_in_every_round(settings):
    settings.DEBUG = True
    generate(extra_teams="5,12")
    assert User.objects.filter(username__startswith="gen").count() == 40 + 6 + 13
    assert Team.objects.count() == 6
    extra = list(Team.objects.filter(name__startswith="Gen extra team").order_by("id"))
    first = Team.objects.order_by("id").first()
    assert [team.department_id for team in extra] == [first.department_id] * 2
    for team, size in zip(extra, (5, 12), strict=True):
        roles = list(team.memberships.values_list("role", flat=True))
        assert roles.count(Membership.Role.EMPLOYEE) == size
        assert roles.count(Membership.Role.MANAGER) == 1
        for round_ in Round.objects.all():
            assert round_.teams.filter(pk=team.pk).exists()
            mine = round_.assessments.filter(team=team, status=Assessment.Status.SUBMITTED)
            assert mine.filter(perspective="self").count() == size
            assert mine.filter(perspective="manager").count() == size
    # The other teams are as they are without extra teams.
    assert Membership.objects.exclude(team__in=extra).count() == 40


def test_extra_teams_sizes_are_checked(settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="extra-teams"):
        generate(extra_teams="5,x")
    with pytest.raises(CommandError, match="at least 1"):
        generate(extra_teams="5,0")
    assert not User.objects.filter(username__startswith="gen").exists()
