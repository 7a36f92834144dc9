"""Where the graph lives: loading and deriving it, the typed interface, the embedded and remote stores, pushing."""
