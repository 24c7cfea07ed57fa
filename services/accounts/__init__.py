"""Accounts: registration, sign-in, sessions, one-time codes, providers and staff access."""
