"""The faults of the customer context, as OCAPI names them."""
from shared.faults import OcapiFault


def customer_not_found(customer_id: str) -> OcapiFault:
    return OcapiFault(f"No customer with id '{customer_id}' was found.", status=404,
                      fault_type="CustomerNotFoundException", arguments={"customerId": customer_id})


def invalid_customer() -> OcapiFault:
    return OcapiFault("Invalid customer.", fault_type="InvalidCustomerException")


def missing(field: str, fault_type: str) -> OcapiFault:
    return OcapiFault(f"The request document does not contain '{field}'.", fault_type=fault_type)


def already_registered() -> OcapiFault:
    return OcapiFault("The customer is already registered.",
                      fault_type="CustomerAlreadyRegisteredException")


def precondition_failed() -> OcapiFault:
    return OcapiFault("The If-Match header does not match the customer's current ETag.",
                      status=412, fault_type="PreconditionFailedException")
