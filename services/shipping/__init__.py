"""Shipping: carriers and their services, destination zones, rate tables and quotes."""
