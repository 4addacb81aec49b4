"""`ocapi-admin`: the operator's command (admin/main.py); docs/operations.md, "Admin CLI"."""
