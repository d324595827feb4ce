"""The admin takes the same attack strings: stored ones come back inert on its
pages and the public ones; a NUL byte or a 1 MB field is a 400 before any
form is read (core/middleware.py), nothing stored."""

import pytest

from tests.attacks.payloads import REFUSED, STORED
from tests.attacks.test_injection import assert_bidi_isolated, assert_inert_html
from timeline.models import Storyline

pytestmark = pytest.mark.django_db


def add_storyline(client, name, description):
    return client.post("/admin/timeline/storyline/add/", {
        "name": name, "slug": "", "description": description, "grace_period": "",
    })


@pytest.mark.parametrize("name", list(STORED))
def test_a_payload_saved_in_the_admin_is_inert_in_the_admin_and_on_the_pages(name, client, admin_user):
    payload = STORED[name]
    client.force_login(admin_user)
    response = add_storyline(client, f"S {payload}"[:200], payload)
    assert response.status_code in (200, 302), response.status_code
    storyline = Storyline.objects.filter(description=payload).first()
    if storyline is None:  # the form refused it (a slug it cannot make, say): a form error, not a 500
        assert response.status_code == 200 and b"errornote" in response.content
        return
    for url in ("/admin/timeline/storyline/", f"/admin/timeline/storyline/{storyline.pk}/change/"):
        page = client.get(url)
        assert page.status_code == 200
        assert_inert_html(page.content.decode(), payload, url)
    public = client.get(f"/storylines/{storyline.slug}/")
    assert public.status_code == 200
    assert_inert_html(public.content.decode(), payload, "storyline page")
    assert_bidi_isolated(public.content.decode(), "storyline page")


@pytest.mark.parametrize("name", list(REFUSED))
def test_nul_or_oversized_admin_input_is_a_400_and_stores_nothing(name, client, admin_user):
    client.force_login(admin_user)
    response = add_storyline(client, "Fine name", REFUSED[name])
    assert response.status_code == 400
    assert Storyline.objects.count() == 0
