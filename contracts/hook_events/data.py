"""Data API extension points of the customer context, and its customer domain events.

Hook data keys are the hook parameters as the text names them; ``create`` / ``update`` are
the request documents without any password, ``customer`` the Data API's customer document
(credentials included, no ``auth_type``): carried as JSON objects.
"""
from contracts.events import CustomerChanged, CustomerDeleted
from contracts.hook_events.base import DECISION, DOMAIN, NOTIFICATION, Document, ExtensionPoint, HookData


class CreateData(HookData):
    create: Document
    customerListId: str


class CreatedData(HookData):
    customer: Document
    create: Document
    customerListId: str


class UpdateData(HookData):
    customer: Document
    update: Document
    customerListId: str


class CustomerData(HookData):
    customer: Document
    customerListId: str


class ListData(HookData):
    customerListId: str


class AddressCreatedData(HookData):
    customer: Document
    customerAddress: Document
    create: Document
    customerListId: str


class AddressUpdateData(HookData):
    customer: Document
    customerAddress: Document
    update: Document
    customerListId: str


class AddressData(HookData):
    customer: Document
    customerAddress: Document
    customerListId: str


P = "dw.ocapi.data.customer_list."
CUSTOMERS = "/customer_lists/{list_id}/customers"
CUSTOMER = CUSTOMERS + "/{customer_no}"
ADDRESSES = CUSTOMER + "/addresses"


def _point(name: str, kind: str, when: str, model: type[HookData], resource: str) -> ExtensionPoint:
    # A before* is asked in the change's transaction when subscribed (a veto rolls it back).
    return ExtensionPoint(name, kind, "customer", when, model, api="data", resource=resource,
                          asked=kind == DECISION)


BEFORE_POST = P + "customers.beforePOST"
AFTER_POST = P + "customers.afterPOST"
BEFORE_PUT = P + "customers.beforePUT"
AFTER_PUT = P + "customers.afterPUT"
BEFORE_PATCH = P + "customer.beforePATCH"
AFTER_PATCH = P + "customer.afterPATCH"
BEFORE_DELETE = P + "customer.beforeDELETE"
AFTER_DELETE = P + "customer.afterDELETE"
BEFORE_ADDRESS_POST = P + "customer.addresses.beforePOST"
AFTER_ADDRESS_POST = P + "customer.addresses.afterPOST"
BEFORE_ADDRESS_PATCH = P + "customer.address.beforePATCH"
AFTER_ADDRESS_PATCH = P + "customer.address.afterPATCH"
BEFORE_ADDRESS_DELETE = P + "customer.address.beforeDELETE"
AFTER_ADDRESS_DELETE = P + "customer.address.afterDELETE"

POINTS = (
    _point(BEFORE_POST, DECISION, "Before a customer is created.", CreateData, "POST " + CUSTOMERS),
    _point(AFTER_POST, NOTIFICATION, "A customer was created.", CreatedData, "POST " + CUSTOMERS),
    _point(BEFORE_PUT, DECISION, "Before a customer is created with a number.", CreateData, "PUT " + CUSTOMER),
    _point(AFTER_PUT, NOTIFICATION, "A customer was created with a number.", CreatedData, "PUT " + CUSTOMER),
    _point(BEFORE_PATCH, DECISION, "Before a customer is updated.", UpdateData, "PATCH " + CUSTOMER),
    _point(AFTER_PATCH, NOTIFICATION, "A customer was updated.", UpdateData, "PATCH " + CUSTOMER),
    _point(BEFORE_DELETE, DECISION, "Before a customer is deleted.", CustomerData, "DELETE " + CUSTOMER),
    _point(AFTER_DELETE, NOTIFICATION, "A customer was deleted.", ListData, "DELETE " + CUSTOMER),
    _point(BEFORE_ADDRESS_POST, DECISION, "Before a customer address is created.", CreatedData,
           "POST " + ADDRESSES),
    _point(AFTER_ADDRESS_POST, NOTIFICATION, "A customer address was created.", AddressCreatedData,
           "POST " + ADDRESSES),
    _point(BEFORE_ADDRESS_PATCH, DECISION, "Before a customer address is updated.", AddressUpdateData,
           "PATCH " + ADDRESSES + "/{address_id}"),
    _point(AFTER_ADDRESS_PATCH, NOTIFICATION, "A customer address was updated.", AddressUpdateData,
           "PATCH " + ADDRESSES + "/{address_id}"),
    _point(BEFORE_ADDRESS_DELETE, DECISION, "Before a customer address is deleted.", AddressData,
           "DELETE " + ADDRESSES + "/{address_id}"),
    _point(AFTER_ADDRESS_DELETE, NOTIFICATION, "A customer address was deleted.", CustomerData,
           "DELETE " + ADDRESSES + "/{address_id}"),
    # Domain events: the full customer document after every write, from every write path
    # (Shop and Data). The customer-list service builds its search projection from them.
    ExtensionPoint(CustomerChanged.routing_key, DOMAIN, "customer",
                   "A customer was created or changed (any API): the whole document, addresses included.",
                   CustomerChanged, api="internal"),
    ExtensionPoint(CustomerDeleted.routing_key, DOMAIN, "customer", "A customer was deleted.",
                   CustomerDeleted, api="internal", resource="DELETE " + CUSTOMER),
)
