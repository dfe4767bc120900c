"""The command vocabulary (what a person can do), its handlers and the CLI adapter."""
