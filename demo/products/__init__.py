"""Every demo product, by category."""

from demo.products import beauty, electronics, home, menswear, womenswear

PRODUCTS = (
    *menswear.PRODUCTS,
    *womenswear.PRODUCTS,
    *electronics.PRODUCTS,
    *home.PRODUCTS,
    *beauty.PRODUCTS,
)

__all__ = ["PRODUCTS"]
