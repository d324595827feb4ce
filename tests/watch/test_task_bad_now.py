"""A watch sweep given a `now` it cannot read says which value, as the record's sweep does."""

import pytest

from core.errors import InvalidInput
from watch import tasks


@pytest.mark.parametrize("task", [tasks.process_changes, tasks.fire_reminders, tasks.send_digests,
                                  tasks.dispatch_deliveries, tasks.reclaim_leases])
@pytest.mark.parametrize("bad, why", [("yesterday", "takes an ISO 8601 date or time"),
                                      ("2026-11-25T12:00:00", "must carry a UTC offset")])
def test_a_bad_now_is_invalid_input_naming_it(task, bad, why):
    with pytest.raises(InvalidInput) as excinfo:
        task.run(now=bad)
    assert why in excinfo.value.message and repr(bad) in excinfo.value.message
