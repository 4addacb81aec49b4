"""Reset tokens as the mailer sees them: opened with the demo mailer's private key (the
test platform runs with OCAPI_ENV=development, so auth seals to the demo public key)."""
from pathlib import Path

from ocapi_hooks import load_private_key, unseal_reset_token

DEMO_PRIVATE_KEY_FILE = Path(__file__).resolve().parents[2] / "config" / "demo-reset-mailer-key.private"


def reset_token(data: dict) -> str:
    """The plaintext token of a password_reset.afterPOST event's data."""
    return unseal_reset_token(data, load_private_key(str(DEMO_PRIVATE_KEY_FILE)))
