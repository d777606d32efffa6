"""Errors the documents raise. Each says what the owner can change to make the document print."""

from __future__ import annotations


class DocumentError(Exception):
    """A document cannot be made from the data it was given; the message says what to fix."""


class BarcodeValueError(DocumentError):
    """A value cannot be printed as a Code 128 barcode (not plain ASCII, empty, or too long to fit)."""


class AttachedLabelError(DocumentError):
    """The carrier label attached to a return is not a PDF that can be printed."""
