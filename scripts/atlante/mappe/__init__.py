"""The maps and their geographic data."""
