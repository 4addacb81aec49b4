"""The order context: catalog seed, baskets, orders. Its resources arrive with the checkout issue."""
