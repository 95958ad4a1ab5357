simulate rules/eval-50k.rules --template eval_50k --events examples/holiday-early-close/events.jsonl
