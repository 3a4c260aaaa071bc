"""Publishing a round's figures: once, on the first read after it closed or when HR closes
it, frozen afterwards; a closed round never opens again."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment, Indicator, Membership, Round, Team
from assessments.services import Answers, AssessmentLocked, assessment_save, assessment_submit
from figures.models import Group, Mean, PeopleFigures, Publication
from figures.services import publish, publish_due, round_close_early
from tests.conftest import make_round, make_user
from tests.figures.pages import differences, read

pytestmark = pytest.mark.django_db


def submit_everyone(round_, value=4):
    choices = dict.fromkeys(
        Indicator.objects.filter(level__framework=round_.framework).values_list("pk", flat=True),
        value,
    )
    for assessment in Assessment.objects.filter(round=round_):
        assessment_submit(assessment=assessment, answers=Answers(choices=choices))


@pytest.fixture
def team_of_six(org, framework):
    for i in range(4):
        Membership.objects.create(person=make_user(f"noord{i}"), team=org["noord"])
    round_ = make_round(org, framework)
    submit_everyone(round_)
    return round_


def test_the_first_read_after_the_close_date_publishes_the_round(team_of_six, org, login):
    round_ = team_of_six
    url = reverse("figures:team_dashboard", args=[org["noord"].pk]) + f"?round={round_.pk}"
    login(org["bram"]).get(url)
    assert not Publication.objects.exists()  # open: nothing published
    Round.objects.filter(pk=round_.pk).update(closes_on=round_.opens_on)
    page = login(org["bram"]).get(url)
    publication = Publication.objects.get(round=round_)
    assert publication.min_group_size == 5
    round_.refresh_from_db()
    assert round_.closed_at == publication.published_at
    view = page.context["view"]
    assert view.published and view.people.shown and view.people.submitted == 6
    login(org["bram"]).get(url)
    assert Publication.objects.count() == 1


def test_the_stored_figures_of_a_round(team_of_six, org):
    publication = round_close_early(round_=team_of_six)
    groups = {g.key: g for g in Group.objects.filter(publication=publication)}
    assert set(groups) == {
        "o",
        f"d{org['department'].pk}",
        f"t{org['noord'].pk}",
        f"t{org['zuid'].pk}",
    }
    assert groups[f"t{org['noord'].pk}"].parent == groups[f"d{org['department'].pk}"]
    noord = PeopleFigures.objects.get(group=groups[f"t{org['noord'].pk}"], perspective="self")
    assert (noord.expected, noord.submitted, noord.withheld) == (6, 6, "")
    assert noord.distribution == {0: 0, 1: 0, 2: 0, 3: 0, 4: 0, 5: 6}
    zuid = PeopleFigures.objects.get(group=groups[f"t{org['zuid'].pk}"], perspective="self")
    assert (zuid.submitted, zuid.withheld) == (1, "small")
    # Every level is met at 4 everywhere (the threshold is 4.0): all six attained level 5.
    # The department minus Noord would be Zoë alone. Withholding Noord would not do: its
    # manager, Maud, reads Noord's answers one by one. So the department goes, and the
    # organisation, which holds the same answers.
    for key in ("o", f"d{org['department'].pk}"):
        top = PeopleFigures.objects.get(group=groups[key], perspective="self")
        assert (top.submitted, top.withheld) == (7, "complement")
    manager = PeopleFigures.objects.get(group=groups[f"t{org['noord'].pk}"], perspective="manager")
    assert (manager.submitted, manager.withheld) == (6, "")
    means = Mean.objects.filter(group=groups[f"t{org['noord'].pk}"], perspective="self")
    assert means.count() == 5 + 21
    assert {m.value for m in means} == {4}


def test_close_now_in_the_admin_closes_and_publishes(dev_round, org, login):
    assert dev_round.is_open()
    response = login(org["hanna"]).post(
        reverse("admin:assessments_round_changelist"),
        {"action": "close_now", "_selected_action": [dev_round.pk]},
        follow=True,
    )
    assert "1 ronde is gesloten" in response.text
    dev_round.refresh_from_db()
    assert dev_round.closed_at is not None and not dev_round.is_open()
    assert Publication.objects.filter(round=dev_round).exists()
    own = Assessment.objects.get(round=dev_round, subject=org["anna"], perspective="self")
    with pytest.raises(AssessmentLocked):
        assessment_save(assessment=own, answers=Answers(choices={}))


def test_a_closed_round_never_opens_again(dev_round, org, login):
    round_close_early(round_=dev_round)
    dev_round.closes_on = timezone.localdate() + datetime.timedelta(days=100)
    dev_round.save()
    assert not Round.objects.get(pk=dev_round.pk).is_open()
    page = login(org["hanna"]).get(reverse("admin:assessments_round_change", args=[dev_round.pk]))
    # Its dates, teams and kind are shown, not offered for editing.
    assert 'name="closes_on"' not in page.text and 'name="teams"' not in page.text
    response = login(org["hanna"]).post(
        reverse("admin:assessments_round_changelist"),
        {"action": "add_newcomers", "_selected_action": [dev_round.pk]},
        follow=True,
    )
    assert "Een gesloten ronde neemt geen nieuwkomers meer op" in response.text


def test_published_figures_do_not_change_afterwards(team_of_six, org, login):
    round_close_early(round_=team_of_six)
    noord = org["noord"]
    urls = [
        reverse("figures:team_dashboard", args=[noord.pk]) + f"?round={team_of_six.pk}",
        reverse("figures:team_export_csv", args=[noord.pk]) + f"?round={team_of_six.pk}",
    ]
    before = read(login(org["bram"]), urls)
    Team.objects.filter(pk=noord.pk).update(target_level=5)
    Membership.objects.filter(person=org["anna"]).update(ended_on=timezone.localdate())
    with connection.cursor():  # someone edits an answer behind the application's back
        Assessment.objects.filter(round=team_of_six, subject=org["anna"]).update(attained_level=0)
    assert not differences(before, read(login(org["bram"]), urls))


def test_publish_due_publishes_closed_rounds_once_and_leaves_open_ones(org, framework):
    open_round = make_round(org, framework, name="Open")
    closed = make_round(org, framework, name="Dicht")
    Round.objects.filter(pk=closed.pk).update(closes_on=closed.opens_on)
    rounds = list(Round.objects.all())
    publish_due(rounds)
    publish_due(rounds)
    assert list(Publication.objects.values_list("round__name", flat=True)) == ["Dicht"]
    assert publish(round_=closed) == Publication.objects.get()  # twice: the same one
    open_round.refresh_from_db()
    assert open_round.closed_at is None
