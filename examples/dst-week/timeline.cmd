simulate rules/eval-50k.rules --template eval_50k --events examples/dst-week/events.jsonl
