simulate rules/eval-50k.rules --template eval_50k --events examples/admin-lock/events.jsonl --state examples/admin-lock/state.json
