"""``portal.codes``: the counters and PINs every trackable item uses (R-LIFE-2, R-FB-1)."""

import pytest
from django.db import transaction

from portal.codes import counter_next, pin_hash, pin_matches, pin_new

pytestmark = pytest.mark.django_db(transaction=True)


def test_counter_counts_per_key_from_one():
    assert [counter_next(key="a:2026"), counter_next(key="a:2026")] == [1, 2]
    assert counter_next(key="b:2026") == 1


def test_a_rolled_back_number_is_given_again_so_there_is_no_gap():
    assert counter_next(key="gap") == 1
    with pytest.raises(RuntimeError), transaction.atomic():
        assert counter_next(key="gap") == 2
        raise RuntimeError
    assert counter_next(key="gap") == 2


def test_pin_is_six_digits_and_only_its_keyed_hash_is_kept():
    pin = pin_new()
    assert len(pin) == 6 and pin.isdigit()
    stored = pin_hash(code="PA-2026-0001", pin=pin)
    assert pin not in stored
    assert pin_matches(stored_hash=stored, code="PA-2026-0001", pin=f" {pin} ")
    assert not pin_matches(stored_hash=stored, code="PA-2026-0002", pin=pin)
    wrong = "000000" if pin != "000000" else "111111"
    assert not pin_matches(stored_hash=stored, code="PA-2026-0001", pin=wrong)
