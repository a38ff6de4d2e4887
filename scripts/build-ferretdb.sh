#!/usr/bin/env bash
# Builds FerretDB (a MongoDB wire-protocol server, SQLite backend) from the Go module proxy,
# once per machine, and prints the path of the binary. See README "Local database".
# Why not `go install`: the module lacks build/version/version.txt and the binary panics.
set -euo pipefail
V="${FERRETDB_VERSION:-v1.24.2}"
CACHE="${FERRETDB_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/nscl-bot}"
# "-idindex2": built with the _id index fixes below (a different name makes old builds rebuild).
BIN="$CACHE/ferretdb-$V-idindex2"
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
# FerretDB pushes only `{_id: value}` down to SQLite; `{_id: {$in: [...]}}` scanned the table.
# The bot batches look-ups by _id into one `$in` (src/db/id-reader.ts): push a list of strings
# or ObjectIds down to the same index. FerretDB still applies the whole filter to what SQLite
# returns, so the pushdown only has to return a superset.
SQL="$TMPD/fdb/internal/backends/sqlite"
cat > "$SQL/id_in.go" <<'GO'
package sqlite

import (
	"fmt"
	"strings"

	"github.com/FerretDB/FerretDB/internal/backends/sqlite/metadata"
	"github.com/FerretDB/FerretDB/internal/handler/sjson"
	"github.com/FerretDB/FerretDB/internal/types"
)

// idInWhere returns ` WHERE _id IN (...)` for `{$in: [strings or ObjectIds]}`, or "" to scan.
func idInWhere(v any) (string, []any) {
	d, ok := v.(*types.Document)
	if !ok || d.Len() != 1 {
		return "", nil
	}
	in, err := d.Get("$in")
	if err != nil {
		return "", nil
	}
	list, ok := in.(*types.Array)
	if !ok || list.Len() == 0 || list.Len() > 1000 {
		return "", nil
	}
	args := make([]any, 0, list.Len())
	for i := 0; i < list.Len(); i++ {
		e, err := list.Get(i)
		if err != nil {
			return "", nil
		}
		switch e.(type) {
		case string, types.ObjectID:
			b, err := sjson.MarshalSingleValue(e)
			if err != nil {
				return "", nil
			}
			args = append(args, string(b))
		default:
			return "", nil
		}
	}
	return fmt.Sprintf(` WHERE %s IN (%s)`, metadata.IDColumn, strings.TrimSuffix(strings.Repeat("?, ", len(args)), ", ")), args
}
GO
COLL="$SQL/collection.go"
perl -0pi -e 's/(\t\twhereClause = fmt\.Sprintf\(` WHERE %s = \?`, metadata\.IDColumn\)\n\t\t\targs = \[\]any\{string\(must\.NotFail\(sjson\.MarshalSingleValue\(v\)\)\)\}\n)(\t\t\})/$1\t\tdefault:\n\t\t\twhereClause, args = idInWhere(v)\n$2/g' "$COLL"
grep -q 'whereClause, args = idInWhere(v)' "$COLL" || { echo "build-ferretdb: the _id \$in patch did not apply" >&2; exit 3; }
build() { (cd "$TMPD/fdb" && CGO_ENABLED=0 go build -trimpath -buildvcs=false "$@" -o "$BIN.tmp" ./cmd/ferretdb); }
build >&2 || build -ldflags=-checklinkname=0 >&2 || GOSUMDB=off build -ldflags=-checklinkname=0 >&2
mv "$BIN.tmp" "$BIN"
echo "$BIN"
