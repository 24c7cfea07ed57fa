"""Members: profiles, address books, privacy (export, deletion), the staff view of
customers, and loyalty (tiers, points, check-ins, rewards)."""
