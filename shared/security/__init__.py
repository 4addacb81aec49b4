"""Who is asking and proof of it: tokens, signed request contexts, revocation, session cookies, secrets."""
