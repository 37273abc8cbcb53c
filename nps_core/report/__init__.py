"""The board report: content built once, charts at print size, one renderer per format."""
