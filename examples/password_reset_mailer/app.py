"""Example subscriber: mails the password-reset token to the customer.

    SMTP_HOST=127.0.0.1 SMTP_PORT=8025 python -m ocapi_hooks run examples.password_reset_mailer.app:hooks

The reset token event (``...password_reset.afterPOST``) carries the customer and the
single-use ``resetToken``; this subscriber sends the mail and nothing else. A failed
send raises, so the SDK retries with backoff and finally parks the event in the DLQ.
"""
import asyncio
import os
import smtplib
from email.message import EmailMessage
from urllib.parse import urlencode

from ocapi_hooks import Event, Hooks

hooks = Hooks(os.environ.get("MAILER_QUEUE", "example.password-reset-mailer"),
              first_delay=float(os.environ.get("MAILER_FIRST_RETRY_SECONDS", "1")))
RESET_URL = os.environ.get("RESET_URL", "https://shop.example.com/reset-password")


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
    customer, token = data.get("customer") or {}, data.get("resetToken")
    if not token or not customer.get("email"):
        raise ValueError("reset event without a token or an email address")
    await asyncio.to_thread(send, reset_mail(customer, token))
