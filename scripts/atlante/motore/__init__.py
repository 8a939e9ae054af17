"""The build: the producers in order, the parallel preparation, and the only code that imports MkDocs."""
