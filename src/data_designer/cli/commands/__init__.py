"""One module per command family; each parses options and calls the interface lazily."""
