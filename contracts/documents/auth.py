"""The public documents of the auth resources (token requests, passwords)."""
from typing import Literal

from pydantic import BaseModel


class AuthRequest(BaseModel):
    """``auth_request``: which kind of token to issue."""
    type: Literal["guest", "credentials", "refresh", "session"]


class PasswordChangeRequest(BaseModel):
    current_password: str
    password: str


class PasswordReset(BaseModel):
    """``password_reset``: whom to reset, by ``email`` or ``login``."""
    identification: str
    type: Literal["email", "login"]


class ResetPasswordRequest(BaseModel):
    """``reset_password_request``: completes a reset with the token from the hook."""
    login: str
    reset_token: str
    new_password: str
