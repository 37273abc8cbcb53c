"""What the comments say: language, sentiment, theme taxonomies, enrichment, masking of personal data."""
