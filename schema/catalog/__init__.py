"""Catalog GraphQL types, inputs and payloads."""
