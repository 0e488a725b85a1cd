"""Helpers every app shares and that need no app: spreadsheets, uploads, private files,
e-mail, small view and admin helpers.

A plain package, not a Django app: it has no models and imports no project app, so any app
may import it without a circle.
"""
