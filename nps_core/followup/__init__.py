"""Closing the loop: alert rules, cases and thanks, notification delivery."""
