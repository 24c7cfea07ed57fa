"""Members types: profiles, address books, purchase history, and loyalty."""
