"""The ``customer`` documents, with OCAPI's field names and constraints."""
from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

Str256 = Annotated[str, Field(max_length=256)]
Str32 = Annotated[str, Field(max_length=32)]


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
