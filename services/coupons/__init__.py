"""Coupons: staff-defined codes, the discount a code gives at checkout, and its uses."""
