simulate rules/eval-50k.rules --template eval_50k --events examples/evaluation-pass/events.jsonl --format jsonl --html $OUT/chart.html
