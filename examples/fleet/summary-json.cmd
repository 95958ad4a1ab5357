replay rules --accounts examples/fleet/accounts.jsonl --events examples/fleet/history.jsonl --format json --jobs 3
