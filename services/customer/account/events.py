"""The extension points of the session-based Account resource (Shop API 15.6)."""
from shared.messaging.hook_catalogue import DECISION, NOTIFICATION, extension_point

_ACCOUNT = "/account/{id}"
_ADDRESS = _ACCOUNT + "/addresses/{address_name}"


def _pair(stem: str, data_before: tuple[str, ...], data_after: tuple[str, ...], what: str,
          resource: str) -> tuple[str, str]:
    before = extension_point(f"{stem}.before{what}", DECISION, "customer",
                             f"Before the account {what.lower()}: asked in its transaction (a veto"
                             " rolls it back) and published with it.", data_before, resource=resource,
                             asked=True)
    after = extension_point(f"{stem}.after{what}", NOTIFICATION, "customer",
                            f"After the account {what.lower()}.", data_after, resource=resource)
    return before, after


REGISTER = _pair("dw.ocapi.shop.account", ("registration",), ("profile", "registration"),
                 "Register", "POST /account/register")
UPDATE = _pair("dw.ocapi.shop.account", ("profile", "update"), ("profile", "update"),
               "Update", f"PATCH {_ACCOUNT}")
ADDRESS_CREATE = _pair("dw.ocapi.shop.account.address", ("profile", "create"),
                       ("profile", "customerAddress", "create"), "Create", f"PUT {_ADDRESS}")
ADDRESS_UPDATE = _pair("dw.ocapi.shop.account.address", ("profile", "customerAddress", "update"),
                       ("profile", "customerAddress", "update"), "Update", f"PATCH {_ADDRESS}")
ADDRESS_DELETE = _pair("dw.ocapi.shop.account.address", ("profile", "address"), ("profile",),
                       "Delete", f"DELETE {_ADDRESS}")
