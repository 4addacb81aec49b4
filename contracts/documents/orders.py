"""Request and response documents of baskets and orders, with OCAPI's field names."""
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

Str256 = Annotated[str, Field(max_length=256)]


class OrderAddress(BaseModel):
    model_config = ConfigDict(extra="allow")
    address1: Str256 | None = None
    address2: Str256 | None = None
    city: Str256 | None = None
    company_name: Str256 | None = None
    country_code: Str256 | None = None
    first_name: Str256 | None = None
    full_name: Str256 | None = None
    id: Str256 | None = None
    job_title: Str256 | None = None
    last_name: Str256 | None = None
    phone: Str256 | None = None
    post_box: Str256 | None = None
    postal_code: Str256 | None = None
    salutation: Str256 | None = None
    second_name: Str256 | None = None
    state_code: Str256 | None = None
    suffix: Str256 | None = None
    suite: Str256 | None = None
    title: Str256 | None = None


class ProductItemRequest(BaseModel):
    product_id: Annotated[str, Field(max_length=100)]
    quantity: Annotated[float, Field(gt=0, le=999)]
    shipment_id: Annotated[str, Field(max_length=50)] | None = None  # the default shipment "me" if none
    # The catalog seed's products have no options: any option is InvalidProductOptionItemException.
    option_items: list[dict[str, Any]] | None = None


class ShippingMethodRequest(BaseModel):
    id: Str256


class CustomerInfoRequest(BaseModel):
    email: Str256
    customer_no: Annotated[str, Field(max_length=100)] | None = None


class ShipmentRequest(BaseModel):
    """A basket's shipment: the default one is ``me``; POST .../shipments adds others."""
    model_config = ConfigDict(extra="allow")
    shipment_id: Str256 | None = None
    shipping_address: OrderAddress | None = None
    shipping_method: ShippingMethodRequest | None = None


class BasketRequest(BaseModel):
    """The body of ``POST /baskets``: what it gives populates the new basket, all or nothing."""
    model_config = ConfigDict(extra="allow")
    customer_info: CustomerInfoRequest | None = None
    billing_address: OrderAddress | None = None
    shipments: list[ShipmentRequest] | None = None
    product_items: list[ProductItemRequest] | None = None


class BasketIdRequest(BaseModel):
    model_config = ConfigDict(extra="allow")
    basket_id: str


class Basket(BaseModel):
    """The ``basket`` document (abridged: every field is listed in the swagger)."""
    model_config = ConfigDict(extra="allow")
    basket_id: str
    currency: str
    order_total: float
    product_items: list[dict[str, Any]] = []


class Order(BaseModel):
    """The ``order`` document (abridged)."""
    model_config = ConfigDict(extra="allow")
    order_no: str
    status: str
    order_total: float


class OrderPatch(BaseModel):
    model_config = ConfigDict(extra="allow")
    status: str | None = None


class Note(BaseModel):
    subject: Annotated[str, Field(max_length=256)]
    text: Annotated[str, Field(max_length=4000)]


class PaymentCardRequest(BaseModel):
    card_type: Str256
    number: Annotated[str, Field(max_length=4000)] | None = None
    security_code: Annotated[str, Field(max_length=4)] | None = None
    holder: Str256 | None = None
    expiration_month: int
    expiration_year: int


class OrderPaymentInstrumentRequest(BaseModel):
    model_config = ConfigDict(extra="allow")
    payment_method_id: Str256 | None = None
    amount: float | None = None
    payment_card: PaymentCardRequest | None = None
    customer_payment_instrument_id: str | None = None


class Listing(BaseModel):
    model_config = ConfigDict(extra="allow")
    total: int
