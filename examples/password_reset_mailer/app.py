"""Example subscriber: mails the password-reset token to the customer.

    MAILER_PRIVATE_KEY=/run/secrets/mailer-key SMTP_HOST=127.0.0.1 SMTP_PORT=8025 \
        python -m ocapi_hooks run examples.password_reset_mailer.app:hooks

The reset token event (``...password_reset.afterPOST``) carries the customer and the
single-use token sealed to this mailer's public key (``sealedResetToken``): the outbox and
every other subscriber see ciphertext only. This subscriber opens it with its private key
(MAILER_PRIVATE_KEY: base64, or a file; ``python -m ocapi_hooks keygen`` makes a pair and
auth gets the public half as AUTH_RESET_TOKEN_RECIPIENT_KEY), sends the mail and nothing
else. Without MAILER_PRIVATE_KEY it uses the demo key in config/, which only a development
platform seals to. A failed send raises, so the SDK retries with backoff and finally parks
the event in the DLQ; a token it cannot open is refused the same way.
"""
import asyncio
import os
import smtplib
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import urlencode

from ocapi_hooks import Event, Hooks, load_private_key, unseal_reset_token

hooks = Hooks(os.environ.get("MAILER_QUEUE", "example.password-reset-mailer"),
              first_delay=float(os.environ.get("MAILER_FIRST_RETRY_SECONDS", "1")))
RESET_URL = os.environ.get("RESET_URL", "https://shop.example.com/reset-password")
DEMO_KEY = Path(__file__).resolve().parents[2] / "config" / "demo-reset-mailer-key.private"


def private_key():
    # Read at each event, not at import: the key may be mounted after the module loads.
    return load_private_key(os.environ.get("MAILER_PRIVATE_KEY") or str(DEMO_KEY))


def reset_mail(customer: dict, token: str) -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = os.environ.get("MAIL_FROM", "no-reply@shop.example.com")
    mail["To"] = customer["email"]
    mail["Subject"] = "Reset your password"
    link = f"{RESET_URL}?{urlencode({'token': token, 'login': customer.get('login', '')})}"
    name = customer.get("first_name") or customer.get("last_name") or "customer"
    mail.set_content(f"Hello {name},\n\nto choose a new password, open\n{link}\n\n"
                     f"or use this reset token: {token}\n\nIt can be used once and expires soon.\n")
    return mail


def send(mail: EmailMessage) -> None:
    host, port = os.environ.get("SMTP_HOST", "127.0.0.1"), int(os.environ.get("SMTP_PORT", "25"))
    with smtplib.SMTP(host, port, timeout=10) as smtp:
        smtp.send_message(mail)


@hooks.on("dw.ocapi.shop.customer.password_reset.afterPOST")
@hooks.on("dw.ocapi.shop.customers.password_reset.afterPOST")
async def mail_reset_token(event: Event) -> None:
    data = event.data.model_dump(mode="json")
    customer = data.get("customer") or {}
    if not data.get("sealedResetToken") or not customer.get("email"):
        raise ValueError("reset event without a token or an email address")
    token = unseal_reset_token(data, await asyncio.to_thread(private_key))
    await asyncio.to_thread(send, reset_mail(customer, token))
