"""The ``customer_address`` document (Shop API address book and Account API)."""
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

S256 = Annotated[str, Field(max_length=256)]
S32 = Annotated[str, Field(max_length=32)]
# Sent back unchanged by clients that round-trip a document; never written.
READ_ONLY = {"_v", "_type", "_resource_state", "full_name", "creation_date", "last_modified", "etag"}


class CustomerAddress(BaseModel):
    """The writable part of ``customer_address`` (c_* attributes are extra fields)."""
    model_config = ConfigDict(extra="allow", strict=True)

    address_id: S256 | None = None
    address1: S256 | None = None
    address2: S256 | None = None
    city: S256 | None = None
    company_name: S256 | None = None
    country_code: Annotated[str, Field(max_length=2)] | None = None
    first_name: S256 | None = None
    job_title: S256 | None = None
    last_name: S256 | None = None
    phone: S32 | None = None
    post_box: S256 | None = None
    postal_code: S256 | None = None
    preferred: bool | None = None
    salutation: S256 | None = None
    second_name: S256 | None = None
    state_code: S256 | None = None
    suffix: S256 | None = None
    suite: S32 | None = None
    title: S256 | None = None
