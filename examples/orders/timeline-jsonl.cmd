simulate rules/eval-50k.rules --template eval_50k --events examples/orders/events.jsonl --state examples/orders/state.json --format jsonl
