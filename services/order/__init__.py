"""The order context: catalog seed, baskets, orders, order payments and notes."""
