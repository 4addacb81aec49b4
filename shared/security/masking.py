"""Masking payment numbers: all but the last four characters starred.

Shared by every context that receives payment instruments (saved ones in customer,
order payments in order): the full number must never be stored, returned, logged or
published, so there is exactly one way to mask it.
"""


def masked(value: str) -> str:
    """All but the last four characters starred."""
    return "*" * max(len(value) - 4, 0) + value[-4:]


def mask_bank(bank: dict) -> dict:
    """``payment_bank_account`` as it may be stored: account and licence numbers masked."""
    out = {k: bank.get(k) for k in ("holder", "drivers_license_state_code")}
    number, licence = bank.get("number"), bank.get("drivers_license")
    if isinstance(number, str) and number:
        out |= {"masked_number": masked(number), "number_last_digits": number[-4:]}
    if isinstance(licence, str) and licence:
        out |= {"masked_drivers_license": masked(licence), "drivers_license_last_digits": licence[-4:]}
    return {k: v for k, v in out.items() if isinstance(v, str)}
