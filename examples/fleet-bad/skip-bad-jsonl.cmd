replay rules --accounts examples/fleet-bad/accounts.jsonl --events examples/fleet-bad/history.jsonl --skip-bad
