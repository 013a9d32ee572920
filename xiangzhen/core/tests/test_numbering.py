import pytest
from django.db import transaction
from django.utils import timezone

from xiangzhen.core.numbering import next_number


@pytest.mark.django_db
def test_numbers_count_per_prefix_county_and_year():
    year = timezone.localdate().year
    assert next_number("XQ", "433124110226") == f"XQ-433124-{year}-000001"
    assert next_number("XQ", "433124000000") == f"XQ-433124-{year}-000002"
    assert next_number("XQ", "433123000000") == f"XQ-433123-{year}-000001"
    assert next_number("GJ", "433124000000") == f"GJ-433124-{year}-000001"


@pytest.mark.django_db
def test_rolled_back_number_is_reused():
    year = timezone.localdate().year
    with pytest.raises(RuntimeError), transaction.atomic():
        next_number("XQ", "433125000000")
        raise RuntimeError
    assert next_number("XQ", "433125000000") == f"XQ-433125-{year}-000001"
