"""Text handling: Markdown rendering, sanitising, and script conversion."""
