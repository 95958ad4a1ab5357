simulate rules/eval-50k.rules --template eval_50k --events examples/daily-loss-liquidation/events.jsonl --state examples/daily-loss-liquidation/state.json
