"""What the autosave endpoint does with bodies no page sends (issue 9, item 6): a save with no
answer writes nothing; a body that is not form data, or too large, is a clear 4xx."""

import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Assessment, Indicator, Rating, ReflectionAnswer

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


@pytest.fixture
def own(dev_round, org):
    return Assessment.objects.get(round=dev_round, subject=org["anna"], assessor=org["anna"])


@pytest.fixture
def anna(org, client):
    client.force_login(org["anna"])
    return client


def autosave_url(assessment):
    return reverse("assessments:autosave", args=[assessment.pk])


def writes(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if q["sql"].split(None, 1)[0].upper() in ("INSERT", "UPDATE", "DELETE")
    ]


def test_an_autosave_without_answers_writes_nothing(own, anna):
    for data in ({}, {"csrfmiddlewaretoken": "x", "action": "save"}):
        with CaptureQueriesContext(connection) as queries:
            response = anna.post(autosave_url(own), data)
        assert response.status_code == 200
        assert response.json()["bases"] == {}
        assert writes(queries) == []


def test_a_json_body_is_refused_and_writes_nothing(own, anna, framework):
    indicator = Indicator.objects.filter(level__framework=framework).first()
    with CaptureQueriesContext(connection) as queries:
        response = anna.post(
            autosave_url(own), {f"r{indicator.pk}": "4"}, content_type="application/json"
        )
    assert response.status_code == 415
    assert response.json() == {
        "error": "Dit verzoek bevat geen formulierantwoorden. Er is niets opgeslagen."
    }
    assert writes(queries) == []
    assert not Rating.objects.exists()


def test_a_30_mb_multipart_body_is_refused_before_it_is_read(own, anna, settings):
    # Django bounds the fields of a body (DATA_UPLOAD_MAX_MEMORY_SIZE, 2.5 MB), but spools the
    # files of a multipart body to disk whatever their size: the view checks the length first.
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 2_621_440
    upload = io.BytesIO(b"x" * (30 * MB))
    upload.name = "big.bin"
    response = anna.post(autosave_url(own), {"file": upload})
    assert response.status_code == 413
    assert response.json() == {
        "error": "Dit verzoek is te groot voor antwoorden. Er is niets opgeslagen."
    }
    assert not Rating.objects.exists()


def test_a_small_file_is_refused_too(own, anna, framework):
    indicator = Indicator.objects.filter(level__framework=framework).first()
    upload = io.BytesIO(b"x" * 100)
    upload.name = "small.txt"
    response = anna.post(autosave_url(own), {"file": upload, f"r{indicator.pk}": "4"})
    assert response.status_code == 400
    assert response.json()["error"] == (
        "Antwoorden zijn tekst, geen bestanden. Er is niets opgeslagen."
    )
    assert not Rating.objects.exists()


def test_with_csrf_checks_an_oversized_body_is_a_4xx_never_a_500(own, org):
    """With CSRF checks on (as in production), the middleware reads the body before the view:
    Django itself then refuses form fields beyond DATA_UPLOAD_MAX_MEMORY_SIZE with a 400."""
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.force_login(org["anna"])
    client.get(reverse("assessments:assessment", args=[own.pk]))
    token = client.cookies["csrftoken"].value
    fields = client.post(
        autosave_url(own),
        f"csrfmiddlewaretoken={token}&e1=" + "x" * (3 * MB),
        content_type="application/x-www-form-urlencoded",
    )
    assert fields.status_code == 400
    upload = io.BytesIO(b"x" * (30 * MB))
    upload.name = "big.bin"
    files = client.post(autosave_url(own), {"csrfmiddlewaretoken": token, "file": upload})
    assert files.status_code == 413
    assert not Rating.objects.exists() and not ReflectionAnswer.objects.exists()


def test_a_broken_multipart_body_is_a_400_and_writes_nothing(own, org):
    client = Client(raise_request_exception=False)
    client.force_login(org["anna"])
    response = client.generic(
        "POST",
        autosave_url(own),
        b"--nope\r\nContent-Disposition: form-data\r\n\r\nx",
        content_type="multipart/form-data",  # no boundary
    )
    assert response.status_code == 400
    # With a boundary that never comes, the body holds no field: a save of nothing.
    response = client.generic(
        "POST",
        autosave_url(own),
        b"garbage without any boundary",
        content_type="multipart/form-data; boundary=abc",
    )
    assert (response.status_code, response.json()["bases"]) == (200, {})
    assert not Rating.objects.exists()


def test_the_full_form_refuses_such_bodies_too(own, anna):
    url = reverse("assessments:assessment", args=[own.pk])
    upload = io.BytesIO(b"x" * (30 * MB))
    upload.name = "big.bin"
    assert anna.post(url, {"file": upload}).status_code == 413
    assert anna.post(url, {"action": "save"}, content_type="application/json").status_code == 415
    assert anna.post(url, {"action": "save"}).status_code == 302
    assert not Rating.objects.exists()
