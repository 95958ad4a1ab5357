eval rules/eval-50k.rules --template eval_50k --state examples/orders/state.json --order examples/eval-order/buy-5-mnq.json --at 2026-03-03T21:55:00Z
