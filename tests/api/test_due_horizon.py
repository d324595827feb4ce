"""GET /due/?within=: the horizon the `manage.py due` command takes too
(core.durations.HORIZON, 1 minute to 366 days), refused with the field's message."""

import pytest

from tests.api.conftest import API

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("within", ["1m", "366d", "52w", "36h"])
def test_the_horizon_takes_both_ends(anonymous_client, within):
    response = anonymous_client.get(f"{API}/due/?within={within}")

    assert response.status_code == 200, response.content
    assert response.json()["within"] == within


@pytest.mark.parametrize("within, why", [
    ("367d", "lies between 1 minute and 366 days"),
    ("0m", "lies between 1 minute and 366 days"),
    ("99999999999w", "lies between 1 minute and 366 days"),
    ("7x", "takes a whole number and a unit: m (minutes), h (hours), d (days) or w (weeks), e.g. 7d"),
])
def test_a_horizon_out_of_range_is_400_with_the_fields_message(anonymous_client, within, why):
    response = anonymous_client.get(f"{API}/due/?within={within}")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"within": [f"within {why}; got '{within}'."]}
