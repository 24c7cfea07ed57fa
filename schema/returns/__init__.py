"""After-sales types: returns, their lines, photos and timeline."""
