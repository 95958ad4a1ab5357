simulate rules/eval-50k.rules --template eval_50k --events examples/calm-day/events.jsonl
