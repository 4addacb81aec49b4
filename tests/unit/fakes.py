"""In-memory fakes of the unit of work, for fast tests of business rules.

These fake OUR abstractions (shared.unit_of_work and each service's repositories), never
Postgres: the integration and API tiers keep running against the real database.
"""
import copy

from shared.messaging.envelope import Envelope
from shared.unit_of_work import Outbox, UnitOfWork


class FakeOutbox(Outbox):
    def __init__(self) -> None:
        self.envelopes: list[Envelope] = []

    async def add(self, envelope: Envelope) -> None:
        self.envelopes.append(envelope)


class FakeUnitOfWork(UnitOfWork):
    """Commit keeps what the repositories hold; rollback restores it as it was at begin.

    A service's fake lists its fake repositories in ``repositories()``; their state is
    whatever their instance attributes hold.
    """

    def __init__(self) -> None:
        super().__init__()
        self.outbox = FakeOutbox()
        self.commits = self.rollbacks = 0
        self._saved: list[dict] = []

    def repositories(self) -> list[object]:
        return [self.outbox]

    async def _begin(self) -> None:
        self._saved = [copy.deepcopy(vars(repo)) for repo in self.repositories()]

    async def _commit(self) -> None:
        self.commits += 1

    async def _rollback(self) -> None:
        for repo, saved in zip(self.repositories(), self._saved, strict=True):
            vars(repo).clear()
            vars(repo).update(saved)
        self.rollbacks += 1
