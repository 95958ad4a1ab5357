simulate rules/eval-50k.rules --template eval_50k --events examples/working-orders/events.jsonl --html $OUT/chart.html
