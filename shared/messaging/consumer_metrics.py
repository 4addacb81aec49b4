"""A consumer queue's counters, labelled once when its handler is built (shared/metrics.py)."""
from datetime import UTC, datetime

from shared import metrics


class QueueMetrics:
    def __init__(self, queue: str):
        self.messages = metrics.CONSUMER_MESSAGES.labels(queue)
        self.retries = metrics.CONSUMER_RETRIES.labels(queue)
        self.dead_letters = metrics.CONSUMER_DEAD_LETTERS.labels(queue)
        self.lag = metrics.CONSUMER_LAG.labels(queue)

    def lag_since(self, occurred_at: object) -> None:
        """How long the event took from being written to being applied here; an envelope
        without a readable time (a foreign producer) is simply not measured."""
        if not isinstance(occurred_at, str):
            return
        try:
            then = datetime.fromisoformat(occurred_at)
        except ValueError:
            return
        if then.tzinfo is None:
            return
        self.lag.observe(max(0.0, (datetime.now(UTC) - then).total_seconds()))
