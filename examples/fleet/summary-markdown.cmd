replay rules --accounts examples/fleet/accounts.jsonl --events examples/fleet/history.jsonl --format markdown --jobs 2
