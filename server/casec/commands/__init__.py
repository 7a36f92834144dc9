"""One module per ``casec`` subcommand; each exposes ``register(commands)``."""
