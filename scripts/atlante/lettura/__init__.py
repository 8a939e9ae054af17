"""Reading the project's files: YAML with positions, front matter, the territory, records, verbali, news."""
