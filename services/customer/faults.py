"""The faults of the customer context, as OCAPI names them."""
from shared.http.faults import OcapiFault


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


def customer_no_in_use(customer_no: str) -> OcapiFault:
    return OcapiFault(f"The customer number '{customer_no}' is already in use.",
                      fault_type="CustomerNumberAlreadyInUseException",
                      arguments={"customerNo": customer_no})


def list_customer_not_found(list_id: str, customer_no: str) -> OcapiFault:
    return OcapiFault(f"No customer with number '{customer_no}' for customer list '{list_id}' "
                      "was found.", status=404, fault_type="CustomerListCustomerNotFoundException",
                      arguments={"customerNo": customer_no, "customerListId": list_id})


def address_not_found(list_id: str, customer_no: str, address_id: str) -> OcapiFault:
    return OcapiFault(f"No customer address '{address_id}' for customer with number "
                      f"'{customer_no}' in customer list '{list_id}' was found.", status=404,
                      fault_type="CustomerListCustomerAddressNotFoundException",
                      arguments={"addressId": address_id, "customerNo": customer_no,
                                 "customerListId": list_id})


def address_id_in_use(address_id: str) -> OcapiFault:
    return OcapiFault("The customer address ID is already in use.",
                      fault_type="AddressIdAlreadyInUseException",
                      arguments={"addressId": address_id})


def resource_state_conflict() -> OcapiFault:
    return OcapiFault("The resource state does not match the current state of the resource.",
                      status=409, fault_type="ResourceStateConflictException")


def customer_address_not_found(address_id: str, customer_no: str | None,
                               site_id: str | None) -> OcapiFault:
    return OcapiFault(f"Customer address '{address_id}' not found.", status=404,
                      fault_type="CustomerAddressNotFoundException",
                      arguments={"addressId": address_id, "customerNo": customer_no, "siteId": site_id})


def invalid_address_id(address_id) -> OcapiFault:
    return OcapiFault("The address id must not be blank.", fault_type="InvalidCustomerAddressIdException",
                      arguments={"addressId": address_id if isinstance(address_id, str) else ""})


def payment_instrument_not_found(instrument_id: str) -> OcapiFault:
    return OcapiFault(f"The payment instrument with uuid '{instrument_id}' was not found.", status=404,
                      fault_type="PaymentInstrumentNotFoundException",
                      arguments={"paymentInstrumentId": instrument_id})


# Shop 15.6 documents the wallet's 404s as the general NotFoundException; 16.4 named them.
_WALLET_NAMED_SINCE = (16, 4)
_WALLET_NAMED = ("CustomerNotFoundException", "PaymentInstrumentNotFoundException")


def wallet_fault_as_of(fault: OcapiFault, version: str) -> OcapiFault:
    """``fault`` of a payment instrument resource, named as the requested version names it."""
    major, minor = (int(part) for part in version.split("."))
    if fault.fault_type in _WALLET_NAMED and (major, minor) < _WALLET_NAMED_SINCE:
        return OcapiFault(fault.message, status=404, fault_type="NotFoundException",
                          arguments=fault.arguments)
    return fault
