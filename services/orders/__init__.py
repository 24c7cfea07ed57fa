"""Orders: carts, checkout, the order status machine, fulfilment and the timeline."""
