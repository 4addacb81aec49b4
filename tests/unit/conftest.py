"""Fixtures the unit tests share."""
import pytest

from services.auth.passwords import Passwords
from tests.unit.fakes import CHEAP_AUTH_SETTINGS


@pytest.fixture(scope="module")
def passwords():
    """Hashing at its cheapest (a module that tests the hashing itself defines its own)."""
    p = Passwords(CHEAP_AUTH_SETTINGS)
    yield p
    p.close()
