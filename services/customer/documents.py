"""The customer documents, with OCAPI's field names and constraints."""
from datetime import date
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from shared import custom_attributes
from shared.faults import OcapiFault
from shared.validation import valid_email

Str256 = Annotated[str, Field(max_length=256)]
Str32 = Annotated[str, Field(max_length=32)]

# Fields a client may send back unchanged but never write.
READ_ONLY = {"_v", "_type", "_resource_state", "auth_type", "customer_id", "customer_no",
             "creation_date", "last_modified", "last_login_time", "last_visit_time",
             "previous_login_time", "previous_visit_time", "addresses", "payment_instruments",
             "enabled"}


class CustomerProfile(BaseModel):
    """The writable part of the ``customer`` document (c_* attributes are extra fields)."""
    model_config = ConfigDict(extra="allow", strict=True)

    birthday: date | None = None
    company_name: Str256 | None = None
    email: Annotated[str, Field(max_length=256)] | None = None
    fax: Str32 | None = None
    first_name: Str256 | None = None
    gender: Annotated[int, Field(ge=1, le=2)] | None = None
    job_title: Str256 | None = None
    last_name: Str256 | None = None
    note: str | None = None
    phone_business: Str32 | None = None
    phone_home: Str32 | None = None
    phone_mobile: Str32 | None = None
    preferred_locale: Str256 | None = None
    salutation: Str256 | None = None
    second_name: Str256 | None = None
    suffix: Str256 | None = None
    title: Str256 | None = None

    @field_validator("birthday", mode="before")
    @classmethod
    def _iso_date(cls, value: Any) -> Any:
        # strict mode rejects strings for dates; OCAPI sends "YYYY-MM-DD".
        return date.fromisoformat(value) if isinstance(value, str) else value


class CustomerRegistration(BaseModel):
    """``customer_registration``: the new customer's profile with login, and the password."""
    customer: dict[str, Any]
    password: Annotated[str, Field(max_length=4096)] | None = None


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


class Customer(CustomerProfile):
    """The ``customer`` document as it is returned."""
    auth_type: str
    customer_id: Annotated[str, Field(max_length=28)]
    customer_no: Annotated[str, Field(max_length=100)] | None = None
    login: Str256 | None = None
    creation_date: str | None = None
    last_modified: str | None = None
    last_login_time: str | None = None
    last_visit_time: str | None = None
    previous_login_time: str | None = None
    previous_visit_time: str | None = None
