"""The Shop API's customer resources: a customer's address book and saved payment instruments."""
