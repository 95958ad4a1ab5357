eval rules/eval-50k.rules --template eval_50k --state examples/eval-order/state.json --order examples/eval-order/buy-4-es.json --format json
