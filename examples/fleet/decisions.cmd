replay rules --accounts examples/fleet/accounts.jsonl --events examples/fleet/history.jsonl --format jsonl -o $OUT/replay.jsonl
