"""The extension points of the session-based Account resource (Shop API 15.6).

Its documents are the Account API's own (``profile`` has ``gender`` "m"/"f", ``registration``
is ``{credentials: {username}, profile}``), so they are carried as JSON objects."""
from contracts.hook_events.base import DECISION, NOTIFICATION, Document, ExtensionPoint, HookData, names


class RegistrationData(HookData):
    registration: Document


class RegisteredData(HookData):
    profile: Document
    registration: Document


class UpdateData(HookData):
    profile: Document
    update: Document


class AddressCreateData(HookData):
    profile: Document
    create: Document


class AddressCreatedData(HookData):
    profile: Document
    customerAddress: Document
    create: Document


class AddressUpdateData(HookData):
    profile: Document
    customerAddress: Document
    update: Document


class AddressDeleteData(HookData):
    profile: Document
    address: Document


class ProfileData(HookData):
    profile: Document


_ACCOUNT = "/account/{id}"
_ADDRESS = _ACCOUNT + "/addresses/{address_name}"


def _pair(stem: str, before_model: type[HookData], after_model: type[HookData], what: str,
          resource: str) -> tuple[ExtensionPoint, ExtensionPoint]:
    before = ExtensionPoint(f"{stem}.before{what}", DECISION, "customer",
                            f"Before the account {what.lower()}: asked in its transaction (a veto"
                            " rolls it back) and published with it.", before_model, resource=resource,
                            asked=True)
    after = ExtensionPoint(f"{stem}.after{what}", NOTIFICATION, "customer",
                           f"After the account {what.lower()}.", after_model, resource=resource)
    return before, after


_REGISTER = _pair("dw.ocapi.shop.account", RegistrationData, RegisteredData, "Register",
                  "POST /account/register")
_UPDATE = _pair("dw.ocapi.shop.account", UpdateData, UpdateData, "Update", f"PATCH {_ACCOUNT}")
_ADDRESS_CREATE = _pair("dw.ocapi.shop.account.address", AddressCreateData, AddressCreatedData,
                        "Create", f"PUT {_ADDRESS}")
_ADDRESS_UPDATE = _pair("dw.ocapi.shop.account.address", AddressUpdateData, AddressUpdateData,
                        "Update", f"PATCH {_ADDRESS}")
_ADDRESS_DELETE = _pair("dw.ocapi.shop.account.address", AddressDeleteData, ProfileData,
                        "Delete", f"DELETE {_ADDRESS}")

REGISTER = names(_REGISTER)
UPDATE = names(_UPDATE)
ADDRESS_CREATE = names(_ADDRESS_CREATE)
ADDRESS_UPDATE = names(_ADDRESS_UPDATE)
ADDRESS_DELETE = names(_ADDRESS_DELETE)

POINTS = (*_REGISTER, *_UPDATE, *_ADDRESS_CREATE, *_ADDRESS_UPDATE, *_ADDRESS_DELETE)
