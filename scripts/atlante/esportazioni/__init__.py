"""Open data, the DCAT catalogue and the RSS/Atom feeds."""
