"""The faults of the customer-list context, as OCAPI names them."""
from shared.http.faults import OcapiFault


def list_not_found(list_id: str) -> OcapiFault:
    return OcapiFault(f"No customer list with ID '{list_id}' was found.", status=404,
                      fault_type="CustomerListNotFoundException",
                      arguments={"customerListId": list_id})
