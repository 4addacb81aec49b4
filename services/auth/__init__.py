"""The auth context: credentials, tokens, revocations, signing keys."""
