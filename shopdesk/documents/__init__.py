"""Printed documents, built from plain data (``documents.data``) into PDF bytes, without Qt.

The window previews and prints these bytes; the command line writes them to a file.
"""
