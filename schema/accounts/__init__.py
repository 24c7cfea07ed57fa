"""Accounts types: users, sessions and the accounts payloads."""
