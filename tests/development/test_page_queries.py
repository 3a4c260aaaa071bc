"""The pages that show actions run as many queries for a big team with years of actions as
for a small one with a few."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Assessment, Membership
from tests.conftest import make_user
from tests.development.conftest import SELF, make_dev_round, propose, submit

pytestmark = pytest.mark.django_db

# Queries per page beyond the session and the user, the same for both sizes. The actions add:
# on the result page, this round's and the previous round's (1), their behaviours (1), whether
# a later round has opened (1) and, for a manager or HR, whether they manage the person's
# team (1); on the form, the previous round's (1) and their behaviours (1); on the home page,
# the open actions (1) and the latest result (1), besides the teams that serve the person
# (internal customers, 1).
EXPECTED = {
    "result, person": 12,
    "result, manager": 13,
    "result, HR": 13,
    "form, person": 5,
    "home, person": 6,
    "home, manager": 9,
}


@pytest.mark.parametrize("members, rounds", [(3, 1), (30, 4)])
def test_pages_with_actions_run_a_fixed_number_of_queries(org, framework, login, members, rounds):
    for i in range(members - 2):  # Anna and Bram are in Noord already
        Membership.objects.create(person=make_user(f"extra{i}"), team=org["noord"])
    made = [
        make_dev_round(org, framework, name=f"R{n}", opens=-50 * (rounds - n) - 20, closes=1)
        for n in range(rounds)
    ]
    current = make_dev_round(org, framework, name="Nu", opens=-5, closes=20)
    for round_ in [*made, current]:
        for own in Assessment.objects.filter(round=round_, team=org["noord"], perspective="self"):
            submit(round_, own.subject, own.subject, framework, SELF)
            for days in (3, 10, 40):
                propose(round_, own.subject, by=org["maud"], days=days)
    anna = org["anna"]
    form = Assessment.objects.get(round=current, assessor=anna)
    pages = {
        "result, person": ("anna", reverse("assessments:result", args=[current.pk, anna.pk])),
        "result, manager": ("maud", reverse("assessments:result", args=[current.pk, anna.pk])),
        "result, HR": ("hanna", reverse("assessments:result", args=[current.pk, anna.pk])),
        "form, person": ("anna", reverse("assessments:assessment", args=[form.pk])),
        "home, person": ("anna", reverse("assessments:home")),
        "home, manager": ("maud", reverse("assessments:home")),
    }
    counted = {}
    for name, (persona, url) in pages.items():
        client = login(org[persona])
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, name
        counted[name] = len(queries) - 2  # the session and the user
    assert counted == EXPECTED
