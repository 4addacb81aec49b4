"""The faults of the auth context, as OCAPI names them."""
from shared.http.faults import OcapiFault


class AuthorizationBasicMissing(OcapiFault):
    fault_type = "AuthorizationBasicMissingException"
    message = ("Missing credentials: Add a Authorization:Basic header with base64 encoded "
               "username:password.")


class AuthenticationFailed(OcapiFault):
    status = 401
    fault_type = "AuthenticationFailedException"
    message = "Failed to authenticate customer on base of Authorization:Basic header."

    def __init__(self, credential_type: str = "credentials", message: str | None = None):
        super().__init__(message, arguments={"credentialType": credential_type})


class InvalidClientId(OcapiFault):
    fault_type = "InvalidClientIdException"
    message = "The client id in the token does not match the client id of the request."


class InvalidAuthType(OcapiFault):
    fault_type = "InvalidAuthTypeException"
    message = "The auth request type must be one of guest, credentials, refresh or session."


class LoginAlreadyInUse(OcapiFault):
    fault_type = "LoginAlreadyInUseException"
    message = "Login is already in use."


class InvalidLogin(OcapiFault):
    fault_type = "InvalidLoginException"
    message = "The login does not match the acceptance criteria."


class InvalidPassword(OcapiFault):
    fault_type = "InvalidPasswordException"
    message = "The password does not match the acceptance criteria."
