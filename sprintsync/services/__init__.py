"""The product's API. Pages and the CLI call these functions and nothing below them."""
