"""What the order service asks the customer service, over its internal API.

The customer context owns customers and their saved payment instruments; the order
context only reads them. A saved instrument comes back masked: the customer service
never stored the full card number.
"""
from services.order import faults
from shared.http.faults import OcapiFault
from shared.http.internal import InternalClient, raise_fault_from
from shared.http.internal import segment as _seg
from shared.security.context import RequestContext


class CustomerDirectory:
    def __init__(self, client: InternalClient | None):
        # None (unit tests, a service without a customer URL): nobody is known.
        self.client = client

    async def _get(self, ctx: RequestContext, path: str) -> tuple[int, object]:
        if self.client is None:
            return 404, None
        status, body, _ = await self.client.call("GET", path, ctx)
        return status, body

    async def profile(self, ctx: RequestContext, customer_id: str) -> dict | None:
        """The customer document, or None when unknown or the customer service is away."""
        try:
            status, doc = await self._get(ctx, f"/internal/customers/{_seg(customer_id)}")
        except OcapiFault:
            return None
        return doc if status == 200 and isinstance(doc, dict) else None

    async def require(self, ctx: RequestContext, customer_id: str) -> None:
        """404 CustomerNotFoundException unless the customer exists (what agents and clients get)."""
        status, body = await self._get(ctx, f"/internal/customers/{_seg(customer_id)}")
        if status == 404:
            raise faults.customer_not_found(customer_id)
        if status != 200:
            raise_fault_from(status, body)

    async def saved_address(self, ctx: RequestContext, customer_id: str, address_id: str) -> dict:
        """The customer's saved address; any 404 (unknown customer or address, a guest) is
        CustomerAddressNotFoundException."""
        return await self._saved(ctx, f"/internal/customers/{_seg(customer_id)}/addresses/{_seg(address_id)}",
                                 faults.customer_address_not_found(address_id))

    async def saved_instrument(self, ctx: RequestContext, customer_id: str, instrument_id: str) -> dict:
        """The customer's saved instrument (masked); any 404 (unknown customer, a guest, someone
        else's instrument) is PaymentInstrumentNotFoundException."""
        return await self._saved(
            ctx, f"/internal/customers/{_seg(customer_id)}/payment_instruments/{_seg(instrument_id)}",
            faults.payment_instrument_not_found(instrument_id))

    async def _saved(self, ctx: RequestContext, path: str, not_found: OcapiFault) -> dict:
        status, body = await self._get(ctx, path)
        if status == 404:
            raise not_found
        if status != 200 or not isinstance(body, dict):
            raise_fault_from(status, body)
        return body
