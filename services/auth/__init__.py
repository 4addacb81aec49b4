"""The auth context: credentials, tokens, revocations, signing keys."""
import warnings

import authlib.deprecate  # noqa: F401 (it sets its warnings to "always" when imported: filter after)

# Auth signs with authlib, whose 1.x flags its jose module in favour of joserfc; the API used
# here is stable until authlib 2.0, and the warning would otherwise land in auth's log.
warnings.filterwarnings("ignore", message="authlib.jose module is deprecated")
