"""The token endpoint's answers (OAuth 2.0, RFC 6749)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class TokenOut(BaseModel):
    """An access token (RFC 6749 §5.1): send it as ``Authorization: Bearer <access_token>``."""

    access_token: str = Field(description="A signed JWT")
    token_type: str = Field("Bearer", description="Always Bearer")
    expires_in: int = Field(description="Seconds until the token expires")


class OAuthErrorOut(BaseModel):
    """A refused token request (RFC 6749 §5.2)."""

    error: str = Field(description="invalid_request, invalid_client or unsupported_grant_type")
    error_description: str = Field(description="What was wrong, for a person")
