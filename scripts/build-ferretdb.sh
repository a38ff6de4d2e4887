#!/usr/bin/env bash
# Builds FerretDB (a MongoDB wire-protocol server, SQLite backend) from the Go module proxy,
# once per machine, and prints the path of the binary. See README "Local database".
# Why not `go install`: the module lacks build/version/version.txt and the binary panics.
set -euo pipefail
V="${FERRETDB_VERSION:-v1.24.2}"
CACHE="${FERRETDB_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/nscl-bot}"
# "-idindex": built with the _id index fix below (a different name makes old builds rebuild).
BIN="$CACHE/ferretdb-$V-idindex"
if [ -x "$BIN" ]; then echo "$BIN"; exit 0; fi
command -v go >/dev/null || { echo "build-ferretdb: Go is not installed; set MONGODB_URI instead" >&2; exit 3; }
mkdir -p "$CACHE"
TMPD=$(mktemp -d)
trap 'chmod -R u+w "$TMPD" 2>/dev/null; rm -rf "$TMPD"' EXIT
echo "build-ferretdb: building FerretDB $V (one time, a few minutes)…" >&2
SRC=$(GOFLAGS=-mod=mod go mod download -json "github.com/FerretDB/FerretDB@$V" | sed -n 's/.*"Dir": "\(.*\)",$/\1/p')
[ -n "$SRC" ] || { echo "build-ferretdb: go mod download failed" >&2; exit 3; }
cp -r "$SRC" "$TMPD/fdb" && chmod -R u+w "$TMPD/fdb"
echo "$V" > "$TMPD/fdb/build/version/version.txt"
# FerretDB 1.24's SQLite backend creates the _id index on `_ferretdb_sjson->"_id"` but filters on
# `_ferretdb_sjson->'$._id'`; SQLite uses an expression index only for the identical expression,
# so every lookup by _id scanned the whole table (O(collection) per session read/write). Both
# expressions yield the same value: make queries use the indexed one.
META="$TMPD/fdb/internal/backends/sqlite/metadata/metadata.go"
sed -i "s|IDColumn = DefaultColumn + \"->'\$._id'\"|IDColumn = DefaultColumn + \`->\"_id\"\`|" "$META"
grep -q 'IDColumn = DefaultColumn + `->"_id"`' "$META" || { echo "build-ferretdb: the _id index patch did not apply" >&2; exit 3; }
build() { (cd "$TMPD/fdb" && CGO_ENABLED=0 go build -trimpath -buildvcs=false "$@" -o "$BIN.tmp" ./cmd/ferretdb); }
build >&2 || build -ldflags=-checklinkname=0 >&2 || GOSUMDB=off build -ldflags=-checklinkname=0 >&2
mv "$BIN.tmp" "$BIN"
echo "$BIN"
