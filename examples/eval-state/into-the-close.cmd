eval rules/eval-50k.rules --template eval_50k --state examples/eval-state/state.json --at 2026-03-03T22:10:00Z
