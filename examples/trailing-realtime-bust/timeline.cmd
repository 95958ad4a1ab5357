simulate rules/funded-100k.rules --template funded_100k --events examples/trailing-realtime-bust/events.jsonl
