"""Presentation shared by pages and report: texts and number formats, charts, safe spreadsheet exports."""
