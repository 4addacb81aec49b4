"""Checking a ``customer`` document a client sent (the models are in contracts)."""
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from contracts.documents.customers import CustomerProfile
from shared import custom_attributes
from shared.http.faults import OcapiFault
from shared.validation import valid_email

# Fields a client may send back unchanged but never write.
READ_ONLY = {"_v", "_type", "_resource_state", "auth_type", "customer_id", "customer_no",
             "creation_date", "last_modified", "last_login_time", "last_visit_time",
             "previous_login_time", "previous_visit_time", "addresses", "payment_instruments",
             "enabled"}


PROFILE_FIELDS = set(CustomerProfile.model_fields)
M = TypeVar("M", bound=BaseModel)


def validate_document(model: type[M], body: dict[str, Any], doc_type: str) -> M:
    """Validate a request document: unknown properties (other than c_*) and constraint
    violations become OCAPI faults that name the property, never echo its value."""
    for name in body:
        if not custom_attributes.known(name, model.model_fields):
            raise OcapiFault(f"The property '{name}' is not defined for {doc_type}.",
                             fault_type="UnknownPropertyException", arguments={"property": name})
    try:
        return model.model_validate(body)
    except ValidationError as exc:
        err = exc.errors()[0]
        prop = ".".join(str(p) for p in err["loc"])
        unknown = err["type"] == "extra_forbidden"
        raise OcapiFault(f"Invalid value for '{prop}': {err['msg']}.",
                         fault_type="UnknownPropertyException" if unknown
                         else "PropertyConstraintViolationException",
                         arguments={"property": prop}) from None


def parse_profile(raw: dict[str, Any], *, allow_login: bool = False) -> dict[str, Any]:
    """Validate a (partial) customer document; returns the fields it sets (None = unset)."""
    body = {k: v for k, v in raw.items() if k not in READ_ONLY and not (allow_login and k == "login")}
    validate_document(CustomerProfile, body, "customer")
    email = body.get("email")
    if email is not None and not valid_email(email):
        raise OcapiFault("The email address is not valid.", fault_type="InvalidEmailException",
                         arguments={"email": email})
    return body


