"""How long consumers remember message ids: always longer than the outbox keeps the events."""
import pytest
from pydantic import ValidationError

from shared.messaging.outbox_cleanup import cleanup_statements
from shared.settings import BaseServiceSettings


def _statements(settings: BaseServiceSettings) -> list[tuple[str, tuple]]:
    return cleanup_statements("s", retention_days=settings.outbox_retention_days,
                              short_retention_keys=tuple(settings.outbox_short_retention_keys),
                              short_retention_minutes=settings.outbox_short_retention_minutes,
                              processed_retention_days=settings.processed_messages_retention_days)


def _processed_days(settings: BaseServiceSettings) -> int:
    return next(args[0] for statement, args in _statements(settings)
                if "processed_messages" in statement)


def test_unset_the_ids_are_kept_a_day_longer_than_the_events():
    settings = BaseServiceSettings(outbox_retention_days=10)
    assert settings.processed_messages_retention_days is None
    assert _processed_days(settings) == 11


def test_a_window_no_longer_than_the_events_is_refused():
    with pytest.raises(ValidationError, match="PROCESSED_MESSAGES_RETENTION_DAYS"):
        BaseServiceSettings(outbox_retention_days=7, processed_messages_retention_days=7)
    assert _processed_days(BaseServiceSettings(outbox_retention_days=7,
                                               processed_messages_retention_days=30)) == 30


def test_the_short_retention_keys_share_one_statement_and_none_makes_none():
    settings = BaseServiceSettings(outbox_short_retention_keys=["a", "b"],
                                   outbox_short_retention_minutes=5)
    assert _statements(settings)[0][1] == (["a", "b"], 5)
    assert len(_statements(BaseServiceSettings(outbox_short_retention_keys=[]))) == 2
