#!/usr/bin/env bash
# Replays a fleet on Spark in local mode and compares the result, byte for byte, with the
# single-machine `rulec replay`. Skips (exit 0) when pyspark or Java is missing.
#
#   examples/spark/run.sh [RULEC] [FLEET_DIR]
#
# RULEC: the rulec binary (default: .build/release/rulec, built if missing).
# FLEET_DIR: a folder with accounts.jsonl and history.jsonl (default: examples/fleet).
# Environment: PARTITIONS (default "4 8"), MASTER (default "local[2]"), RULES (default: rules).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cd "$repo"

python="${PYTHON:-python3}"
if ! "$python" -c 'import pyspark' >/dev/null 2>&1; then
    echo "skipped: pyspark not installed (pip install pyspark)"
    exit 0
fi
if ! command -v java >/dev/null 2>&1 || ! java -version >/dev/null 2>&1; then
    echo "skipped: no Java runtime (apt-get install default-jre-headless)"
    exit 0
fi

rulec="${1:-}"
if [ -z "$rulec" ]; then
    rulec="$repo/.build/release/rulec"
    if [ ! -x "$rulec" ]; then
        echo "building rulec (swift build -c release --product rulec)"
        swift build -c release --product rulec
    fi
fi
rulec="$(cd "$(dirname "$rulec")" && pwd)/$(basename "$rulec")"
fleet="${2:-examples/fleet}"
rules="${RULES:-rules}"
master="${MASTER:-local[2]}"
partitions="${PARTITIONS:-4 8}"
accounts="$fleet/accounts.jsonl"
history="$fleet/history.jsonl"

work="$(mktemp -d "${TMPDIR:-/tmp}/rulec-spark-run.XXXXXX")"
trap 'rm -rf "$work"' EXIT
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

echo "fleet: $accounts ($(wc -l <"$accounts") lines), $history ($(wc -l <"$history") lines)"
t0=$(now)
"$rulec" replay "$rules" --accounts "$accounts" --events "$history" --format jsonl -o "$work/single.jsonl"
t1=$(now)
echo "single machine: $(wc -l <"$work/single.jsonl") lines in $(elapsed "$t0" "$t1")s"

status=0
for n in $partitions; do
    t0=$(now)
    if ! PYSPARK_PYTHON="$python" "$python" "$here/replay_fleet.py" --master "$master" \
        --rules "$rules" --accounts "$accounts" --events "$history" --rulec "$rulec" \
        --partitions "$n" --output "$work/spark-$n.jsonl" --parts-dir "$work/parts-$n" \
        2>"$work/spark-$n.log"; then
        echo "FAIL: the Spark job with $n partitions failed; its log:"
        cat "$work/spark-$n.log"
        status=1
        continue
    fi
    t1=$(now)
    stats="$(grep '^replay_fleet:' "$work/spark-$n.log" || true)"
    echo "spark $master, $n partitions: $(wc -l <"$work/spark-$n.jsonl") lines in $(elapsed "$t0" "$t1")s (${stats#replay_fleet: })"
    # Partition i holds the accounts of --shard i+1/N (same FNV-1a 64 hash).
    shards_ok=1
    for ((k = 1; k <= n; k++)); do
        "$rulec" replay "$rules" --accounts "$accounts" --events "$history" --format jsonl \
            --shard "$k/$n" -o "$work/shard.jsonl"
        if ! cmp -s "$work/shard.jsonl" "$work/parts-$n/part-$(printf %05d $((k - 1))).jsonl"; then
            echo "FAIL: partition $((k - 1)) of $n differs from rulec replay --shard $k/$n"
            shards_ok=0
            status=1
        fi
    done
    [ "$shards_ok" = 1 ] && echo "  every partition equals its rulec replay --shard K/$n output"
    if cmp "$work/single.jsonl" "$work/spark-$n.jsonl"; then
        echo "PASS: $n partitions, byte for byte the single-machine output"
    else
        echo "FAIL: $n partitions differ from the single-machine output"
        status=1
    fi
done
exit $status
