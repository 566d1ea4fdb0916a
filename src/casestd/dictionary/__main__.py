"""``python -m casestd.dictionary [--out DIR] [--lang LANG ...] [--check]``.

Rebuilds the data dictionary (``docs/dictionary`` by default) and the page of
rules and limits (``docs/rules.md``); with ``--check``, writes nothing and
exits 1 when either is out of date.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from casestd.dictionary.output import DEFAULT_LANGS, build, check
from casestd.dictionary.rules import rules_page
from casestd.version import LANGUAGES


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; return the exit status (0 done or up to date, 1 out of date)."""
    parser = argparse.ArgumentParser(
        prog="python -m casestd.dictionary",
        description="Generate the casestd data dictionary (Markdown) from the models.",
    )
    parser.add_argument(
        "--out", type=Path, default=Path("docs/dictionary"), help="output folder (docs/dictionary)"
    )
    parser.add_argument(
        "--lang",
        action="append",
        choices=LANGUAGES,
        help=f"a language to generate; repeat for several (default: {' '.join(DEFAULT_LANGS)})",
    )
    parser.add_argument(
        "--rules",
        type=Path,
        default=Path("docs/rules.md"),
        help="where to write the page of rules and limits (docs/rules.md)",
    )
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if the folder is out of date"
    )
    args = parser.parse_args(argv)
    langs = tuple(dict.fromkeys(args.lang)) if args.lang else DEFAULT_LANGS
    page = rules_page()
    if args.check:
        stale = check(args.out, langs)
        if not args.rules.is_file() or args.rules.read_text("utf-8") != page:
            stale.append(str(args.rules))
        for path in stale:
            print(f"out of date: {path}")
        if stale:
            print("regenerate with: python -m casestd.dictionary", file=sys.stderr)
            return 1
        print(f"{args.out} is up to date")
        return 0
    written = build(args.out, langs)
    args.rules.write_text(page, "utf-8")
    print(f"{len(written)} pages in {args.out} ({', '.join(langs)}), and {args.rules}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
