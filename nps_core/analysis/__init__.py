"""Reads: filters and scope, NPS statistics, periods, aggregates, themes, topics, value, verbatims."""
