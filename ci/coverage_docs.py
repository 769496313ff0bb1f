#!/usr/bin/env python3
"""ci/coverage_docs.py: checks the route table against Binance's current docs.

Lists every `METHOD /api/v3/...` of rest-api.md and every `"method": "..."` of
web-socket-api.md in a git mirror of binance/binance-spot-api-docs, and the
rows of the route table (`server_coverage --print-markdown --list`), and fails
naming each documented route the table lacks (add it to
mock_server/endpoints/registry.c, served or NOT_IMPLEMENTED) and each table
row the docs no longer have.

usage: ci/coverage_docs.py SERVER_COVERAGE_BINARY [DOCS_GIT_DIR]
DOCS_GIT_DIR defaults to $BINANCE_SPOT_DOCS_GIT, then
/work/.mirror/binance+binance-spot-api-docs/repo. Exit 77 (ctest: skipped)
when no mirror is there. See docs/coverage.md.
"""
import os
import re
import subprocess
import sys

DEFAULT_GIT = "/work/.mirror/binance+binance-spot-api-docs/repo"


def docs_routes(git_dir):
    def show(name):
        return subprocess.run(["git", "--git-dir", git_dir, "show", "HEAD:" + name],
                              check=True, capture_output=True, text=True).stdout
    rest = set("REST " + m for m in re.findall(r"^((?:GET|POST|PUT|DELETE) /api/v3/[A-Za-z0-9/]+)",
                                               show("rest-api.md"), re.M))
    ws = set("WS " + m for m in re.findall(r'"method":\s*"([A-Za-z0-9.]+)"', show("web-socket-api.md")))
    return rest | ws


def main(argv):
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        return 0 if len(argv) >= 2 else 2
    git_dir = argv[2] if len(argv) > 2 else os.environ.get("BINANCE_SPOT_DOCS_GIT", DEFAULT_GIT)
    if not os.path.isdir(git_dir):
        print("coverage_docs: no docs mirror at %s: skipped" % git_dir)
        return 77
    table = set(subprocess.run([argv[1], "--print-markdown", "--list"], check=True,
                               capture_output=True, text=True).stdout.splitlines())
    docs = docs_routes(git_dir)
    missing, stale = sorted(docs - table), sorted(table - docs)
    for r in missing:
        print("documented, not in the route table: " + r)
    for r in stale:
        print("in the route table, not in the current docs: " + r)
    rest = sum(1 for r in docs if r.startswith("REST "))
    print("coverage_docs: %d REST paths and %d WS API methods documented; %d missing, %d stale"
          % (rest, len(docs) - rest, len(missing), len(stale)))
    return 1 if missing or stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
