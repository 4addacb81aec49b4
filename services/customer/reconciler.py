"""Background task: settles registrations that a crash left half done."""
import asyncio
from collections.abc import Callable

from services.customer.service import CustomerService
from services.customer.unit_of_work import CustomerUnitOfWork
from shared.http.web import new_request_id
from shared.logging import get_logger
from shared.security.context import RequestContext

log = get_logger(__name__)


async def run_reconciler(service: CustomerService, new_unit: Callable[[], CustomerUnitOfWork],
                         every_seconds: float, older_than_seconds: int):
    while True:
        await asyncio.sleep(every_seconds)
        ctx = RequestContext(request_id=new_request_id(), api="internal")
        try:
            settled = await service.reconcile(new_unit(), ctx, older_than_seconds)
            if settled:
                log.info("registrations_reconciled", count=settled)
        except Exception as exc:  # noqa: BLE001 (keep reconciling; the next round retries)
            log.warning("reconcile_failed", error=repr(exc))
