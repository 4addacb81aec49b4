"""The customer-list context: lists, site assignment and the customer search projection."""
