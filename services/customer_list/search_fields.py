"""The searchable fields of the customer search, exactly as the text lists them.

The mapping to projection columns is a constant: a column name in the generated SQL
only ever comes from here, never from the request.
"""
STRING, INTEGER, BOOLEAN = "string", "integer", "boolean"

FIELDS: dict[str, tuple[str, str]] = {
    "customer_no": ("customer_no", STRING),
    "first_name": ("first_name", STRING),
    "second_name": ("second_name", STRING),
    "last_name": ("last_name", STRING),
    "suffix": ("suffix", STRING),
    "salutation": ("salutation", STRING),
    "title": ("title", STRING),
    "fax": ("fax", STRING),
    "phone_home": ("phone_home", STRING),
    "phone_business": ("phone_business", STRING),
    "phone_mobile": ("phone_mobile", STRING),
    "email": ("email", STRING),
    "gender": ("gender", INTEGER),
    "company_name": ("company_name", STRING),
    "credentials.login": ("login", STRING),
    "credentials.enabled": ("enabled", BOOLEAN),
}
# Every searchable field sorts; anything else is FieldNotSortableException.
SORTABLE = set(FIELDS)
