"""Orders GraphQL types, inputs and payloads: carts and checkout, and order handling."""
