replay rules --accounts examples/fleet-bad/bad-accounts.jsonl --events examples/fleet-bad/history.jsonl
