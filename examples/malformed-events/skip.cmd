simulate rules/eval-50k.rules --template eval_50k --events examples/malformed-events/events.jsonl --format jsonl --skip-bad
