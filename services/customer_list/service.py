"""The customer-list service functions: each takes a unit of work and runs one unit."""
import hashlib

from services.customer_list.faults import list_not_found
from services.customer_list.model import CustomerList
from services.customer_list.unit_of_work import CustomerListUnitOfWork
from shared.http.faults import OcapiFault


async def site_list_id(uow: CustomerListUnitOfWork, site_id: str) -> str:
    """The customer list a site uses; an unknown site is a 404."""
    async with uow:
        list_id = await uow.sites.list_of(site_id)
    if list_id is None:
        raise OcapiFault(f"Unknown site '{site_id}'.", status=404, fault_type="SiteNotFoundException")
    return list_id


async def customer_list(uow: CustomerListUnitOfWork, list_id: str) -> CustomerList:
    async with uow:
        found = await uow.lists.get(list_id)
    if found is None:
        raise list_not_found(list_id)
    return found


def resource_state(customer_list: CustomerList) -> str:
    """Changes exactly when the list's version does."""
    return hashlib.sha256(
        f"customer_list:{customer_list.list_id}:{customer_list.version}".encode()).hexdigest()


async def clear_projection(uow: CustomerListUnitOfWork) -> None:
    """Forget the projection (for a rebuild from the customer service's snapshot events)."""
    async with uow:
        await uow.projection.clear()
