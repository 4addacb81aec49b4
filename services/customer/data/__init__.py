"""The Data API's customers of a customer list (``/customer_lists/{list}/customers``)."""
