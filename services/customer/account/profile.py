"""The Account resource's ``profile`` document: the customer's profile in 15.6 shape."""
from typing import Any

from services.customer.documents import parse_profile
from services.customer.model import Customer
from services.customer.rendering import customer_document
from shared.http.faults import OcapiFault

_HIDDEN = {"auth_type", "customer_id", "login", "creation_date", "last_modified"}
_GENDER_OUT = {1: "m", 2: "f"}
_GENDER_IN = {"m": 1, "f": 2}


def profile_document(customer: Customer) -> dict[str, Any]:
    return profile_from_customer(customer_document(customer))


def profile_from_customer(customer: dict[str, Any]) -> dict[str, Any]:
    doc = {k: v for k, v in customer.items() if k not in _HIDDEN}
    if doc.get("gender") in _GENDER_OUT:
        doc["gender"] = _GENDER_OUT[doc["gender"]]
    return doc


def invalid_message(message: str = "Invalid profile.") -> OcapiFault:
    return OcapiFault(message, fault_type="InvalidMessageException")


def parse_account_profile(raw: Any, *, allow_delete: bool = False) -> dict[str, Any]:
    """Validated profile fields (None = clear); every problem is an InvalidMessageException."""
    if not isinstance(raw, dict):
        raise invalid_message("The profile must be a JSON object.")
    body = dict(raw)
    to_delete = body.pop("_delete", []) if allow_delete else []
    if not isinstance(to_delete, list) or not all(isinstance(d, str) for d in to_delete):
        raise invalid_message("'_delete' must be a list of property names.")
    if "gender" in body and body["gender"] is not None:
        if body["gender"] not in _GENDER_IN and body["gender"] != "":
            raise invalid_message("The gender must be 'm' or 'f'.")
        body["gender"] = _GENDER_IN.get(body["gender"])
    if body.get("birthday") == "":
        body["birthday"] = None
    try:
        return parse_profile(body | {name: None for name in to_delete})
    except OcapiFault as fault:
        raise invalid_message(fault.message) from None
