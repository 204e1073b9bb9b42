#!/usr/bin/env bash
# The same catalogue on SQLite and on PostgreSQL: imports the five Relaton files of
# ../shared/data/catalog into both, compares `stats --json`, re-imports (0 inserted,
# 0 updated), copies each store to the other backend and compares again, and checks every
# store. Needs a PostgreSQL server (PG_ADMIN, default the test server) whose user may
# CREATE DATABASE; makes and drops two scratch databases.
#
#   scripts/postgres-parity.sh [path/to/stdbridge]
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${1:-./target/release/stdbridge}"
PG_ADMIN="${PG_ADMIN:-postgres://postgres@127.0.0.1:5432/test}"
SERVER="${PG_ADMIN%/*}"
DATA=../shared/data/catalog
FILES=("$DATA"/relaton-iso/iso.relaton.jsonl.gz "$DATA"/relaton-iec/iec.relaton.jsonl.gz
       "$DATA"/relaton-itu/itu.relaton.jsonl.gz "$DATA"/relaton-jis/jis.relaton.jsonl.gz
       "$DATA"/relaton-easc/easc.relaton.jsonl)
WORK="$(mktemp -d)"
PG="$SERVER/stdbridge_parity_$$"
PG_BACK="$SERVER/stdbridge_parity_back_$$"
psql_admin() { psql "$PG_ADMIN" -q -v ON_ERROR_STOP=1 -c "$1" >/dev/null; }
cleanup() {
  psql_admin "DROP DATABASE IF EXISTS stdbridge_parity_$$ WITH (FORCE)" || true
  psql_admin "DROP DATABASE IF EXISTS stdbridge_parity_back_$$ WITH (FORCE)" || true
  rm -rf "$WORK"
}
trap cleanup EXIT
psql_admin "CREATE DATABASE stdbridge_parity_$$"
psql_admin "CREATE DATABASE stdbridge_parity_back_$$"

stats() { "$BIN" --data-dir "$WORK/$1" --database-url "$2" stats --json | grep -v '"imports"'; }
# "inserted N, updated N" summed over the files of an import's --json summary.
totals() {
  python3 -c 'import json,sys; f=json.load(open(sys.argv[1]))["files"]; print("inserted %d, updated %d" % (sum(x["inserted"] for x in f), sum(x["updated"] for x in f)))' "$1"
}
timed_import() {
  local started=$SECONDS
  "$BIN" --data-dir "$WORK/$1" --database-url "$2" import --json "${FILES[@]}" > "$WORK/$1-$3.json"
  echo "$1 $3 import: $((SECONDS - started)) s; $(totals "$WORK/$1-$3.json")"
}

timed_import sqlite "sqlite://$WORK/sqlite.sqlite" first
timed_import postgres "$PG" first
diff <(stats sqlite "sqlite://$WORK/sqlite.sqlite") <(stats postgres "$PG")
echo "stats equal: $(stats postgres "$PG" | grep -o '"standards": *[0-9]*')"
timed_import postgres "$PG" again
[ "$(totals "$WORK/postgres-again.json")" = "inserted 0, updated 0" ]
echo "re-import on PostgreSQL: 0 inserted, 0 updated"

"$BIN" store copy --from "$PG" --to "sqlite://$WORK/copied.sqlite" >/dev/null
"$BIN" store copy --from "sqlite://$WORK/sqlite.sqlite" --to "$PG_BACK" >/dev/null
diff <(stats sqlite "sqlite://$WORK/sqlite.sqlite") <(stats copied "sqlite://$WORK/copied.sqlite")
diff <(stats sqlite "sqlite://$WORK/sqlite.sqlite") <(stats back "$PG_BACK")
echo "store copy both ways: stats equal"
for url in "sqlite://$WORK/sqlite.sqlite" "$PG" "sqlite://$WORK/copied.sqlite" "$PG_BACK"; do
  "$BIN" store check "$url" >/dev/null
done
echo "store check: every store sound"
