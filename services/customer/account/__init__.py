"""The Account resource (Shop API 15.6): the customer of a storefront session."""
