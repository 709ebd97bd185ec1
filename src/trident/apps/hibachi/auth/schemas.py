from __future__ import annotations

from datetime import datetime

from pydantic import AliasChoices, BaseModel, ConfigDict, EmailStr, Field

from trident.core.ids import RowId
from trident.core.security.passwords import NewPassword
from trident.core.text import DisplayText, PhoneNumber

#: a TOTP code (6 digits) or a backup code (xxxx-xxxx)
MFA_CODE = r"^(\d{6}|[0-9a-fA-F]{4}-?[0-9a-fA-F]{4})$"


class StationBrief(BaseModel):
    id: int
    code: str
    name: str
    status: str


class UserOut(BaseModel):
    id: int
    email: str
    full_name: str | None
    phone: str | None
    role: str
    permissions: list[str]
    is_active: bool
    mfa_enabled: bool
    station_id: int | None
    station: StationBrief | None
    customer_id: int | None
    created_at: datetime
    last_login: datetime | None


class LoginRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # not re-validated as an address: an account is found by what it was created with
    email: str = Field(min_length=3, max_length=320)
    password: str = Field(min_length=1, max_length=128)
    mfa_code: str | None = Field(
        default=None,
        pattern=MFA_CODE,
        validation_alias=AliasChoices("mfa_code", "totp_code", "mfa_token", "code"),
        description="The authenticator code (or a backup code) once MFA is enabled",
    )


class StationLoginRequest(LoginRequest):
    station_code: str | None = Field(
        default=None,
        max_length=50,
        validation_alias=AliasChoices("station_code", "station"),
    )
    station_id: RowId | None = None


class RegisterRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    email: EmailStr
    password: NewPassword
    full_name: DisplayText | None = Field(default=None, max_length=200)
    phone: PhoneNumber | None = None
    station_code: str | None = Field(default=None, max_length=50)


class RefreshRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # any string may be a token: a malformed one is a 401 like an expired one, not a 422
    refresh_token: str = Field(min_length=1, max_length=4096)


class LogoutRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    refresh_token: str | None = Field(default=None, min_length=10, max_length=4096)


class TokenResponse(BaseModel):
    access_token: str
    refresh_token: str
    token_type: str = "bearer"
    expires_in: int = Field(description="Seconds until the access token expires")
    user: UserOut


class StationTokenResponse(TokenResponse):
    station: StationBrief


class MfaSetupOut(BaseModel):
    secret: str
    qr_code: str = Field(description="PNG data URL of the provisioning QR code")
    provisioning_uri: str
    backup_codes: list[str] = Field(description="Shown once; each works once")


class MfaCode(BaseModel):
    model_config = ConfigDict(extra="forbid")

    token: str = Field(pattern=MFA_CODE, validation_alias=AliasChoices("token", "code", "mfa_code"))


class MfaDisableRequest(MfaCode):
    password: str = Field(min_length=1, max_length=128)


class MfaStatus(BaseModel):
    mfa_enabled: bool
    message: str
    backup_codes_remaining: int


class StationRegisterRequest(BaseModel):
    """A new location asks to join; a super admin activates it."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    station_name: DisplayText = Field(max_length=100)
    station_code: str | None = Field(
        default=None, min_length=2, max_length=50, pattern=r"^[a-z0-9][a-z0-9-]*[a-z0-9]$"
    )
    city: DisplayText | None = Field(default=None, max_length=100)
    state: DisplayText | None = Field(default=None, max_length=50)
    timezone: str | None = Field(default=None, max_length=64)
    email: EmailStr
    password: NewPassword
    full_name: DisplayText | None = Field(default=None, max_length=200)
    phone: PhoneNumber | None = None


class StationRegistered(BaseModel):
    station: StationBrief
    user: UserOut
    message: str


class StationMe(BaseModel):
    station: StationBrief
    user: UserOut | None = Field(description="None when an API key is calling")
    role: str
    permissions: list[str]
