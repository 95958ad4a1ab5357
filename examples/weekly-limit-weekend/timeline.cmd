simulate rules/funded-100k.rules --template funded_100k --events examples/weekly-limit-weekend/events.jsonl --format jsonl
