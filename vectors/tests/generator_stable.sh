#!/bin/sh
# generator_stable.sh GENERATOR VECTORSDIR: regenerate every vector file into a
# temporary directory and require it to be byte-identical to the committed one
# (the generator is deterministic; a diff means the files are stale).
set -eu
gen=$1; vdir=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$gen" "$tmp" "$vdir" >/dev/null
status=0
for f in "$tmp"/*.json; do
  name=$(basename "$f")
  if ! cmp -s "$f" "$vdir/$name"; then
    echo "stale: vectors/$name differs from a fresh run of the generator (run bc-vectorgen)" >&2
    status=1
  fi
done
[ $status = 0 ] && echo "all vector files reproduce byte for byte"
exit $status
