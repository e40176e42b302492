"""Stage 7, the command line: one edge for reading input, parsing values, exit codes and
writing output; a module per command."""
