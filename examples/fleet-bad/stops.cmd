replay rules --accounts examples/fleet-bad/accounts.jsonl --events examples/fleet-bad/history.jsonl -o $OUT/never-written.jsonl
