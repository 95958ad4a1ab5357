simulate examples/category-switch/desk.rules --root . --template eval_100k --events examples/category-switch/events.jsonl --state examples/category-switch/state.json --format jsonl
