"""The OCAPI request and response documents, one module per resource family."""
