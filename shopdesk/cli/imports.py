"""``shopdesk import FILE...``: import order exports, one summary line per file.

Exit status: 0 when every file imported, 1 when any was refused (the reasons on stderr: file, line,
column, value and what is wrong), 2 on usage errors (no such file, no such mapping).
"""

from __future__ import annotations

import sys
from pathlib import Path

from shopdesk.errors import NotFound
from shopdesk.importers.mapped import load_mapping
from shopdesk.importers.service import import_files

EXIT_REFUSED = 1
EXIT_USAGE = 2


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "import",
        help="import order exports (Etsy, Shopify, Squarespace, WooCommerce, or any CSV with --mapping)",
        description="Import order exports. Each file is imported whole or not at all; importing a file "
        "again adds nothing twice. Etsy's items and orders files of the same period, and the parts "
        "of a split Shopify export, are imported together when given together.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="CSV files exported by the shop platforms")
    parser.add_argument(
        "--mapping",
        metavar="NAME",
        help="read every file through this saved column mapping (for CSV layouts ShopDesk does not know)",
    )
    parser.set_defaults(handler=run)


def run(args, db) -> int:
    paths = [Path(name) for name in args.files]
    for path in paths:
        if not path.exists():
            print(f"shopdesk import: no such file: {path}", file=sys.stderr)
            return EXIT_USAGE
        if path.is_dir():
            print(f"shopdesk import: {path} is a folder; give the CSV files in it", file=sys.stderr)
            return EXIT_USAGE
    mapping = None
    if args.mapping:
        try:
            with db.reading() as session:
                mapping = load_mapping(session, args.mapping)
        except NotFound as exc:
            print(f"shopdesk import: {exc}", file=sys.stderr)
            return EXIT_USAGE
    results = import_files(db, paths, mapping=mapping)
    for result in results:
        print(result.summary())
        for problem in result.problems:
            print(f"  {problem}", file=sys.stderr)
    return 0 if all(result.imported for result in results) else EXIT_REFUSED
