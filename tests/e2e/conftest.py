import importlib

import pytest
from django.apps import apps


@pytest.fixture
def taxonomies(regions_loaded):
    """A transactional test starts from an emptied database: seed the domains and beneficiary groups again."""
    importlib.import_module("xiangzhen.core.migrations.0002_taxonomies").seed(apps, None)
