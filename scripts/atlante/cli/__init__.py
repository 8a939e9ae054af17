"""The `atlante` command: argument parsing and thin subcommands."""
