"""`python -m bilateral` runs the CLI."""

from .cli import app

app()
