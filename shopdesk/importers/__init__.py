"""Orders from files and by hand, with no Qt: read → recognise → parse into drafts → store.

``service.import_files`` is the one entry point for files; ``manual`` checks orders typed in by the
owner. Everything the owner can fix is an ``ImportRefused`` (or another ``ShopDeskError``).
"""
