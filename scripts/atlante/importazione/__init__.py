"""`atlante import`: existing mappings (CSV/XLSX) into records."""
