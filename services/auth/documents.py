"""The documents of the auth context."""
from typing import Literal

from pydantic import BaseModel


class AuthRequest(BaseModel):
    """``auth_request``: which kind of token to issue."""
    type: Literal["guest", "credentials", "refresh", "session"]
