"""Putting results to people: labels, number formats, brand, templates, charts, terminal tables."""
