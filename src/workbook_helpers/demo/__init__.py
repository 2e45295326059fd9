"""The demo engagement: its baseline round, its health check and the reference cases."""
