"""The demo shop: data, pictures drawn on the spot, and the loader."""

from demo.loading import load_demo_catalog

__all__ = ["load_demo_catalog"]
