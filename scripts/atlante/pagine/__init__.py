"""The pages of the site, made from the data (pure Python, no MkDocs)."""
