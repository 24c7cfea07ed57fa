"""Product reviews: writing them, moderating them, and the product ratings they feed."""
