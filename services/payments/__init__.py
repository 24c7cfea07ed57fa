"""Payments: gateways (Stripe, the built-in test gateway, bank transfer), provider
notifications, refunds and settlement."""
