#!/usr/bin/env python3
"""Replay a fleet history on Spark: partition by account, pipe each partition
through `rulec replay --pipe`, merge the partition outputs with `rulec replay --merge`.

The result is byte for byte the output of the single-machine run

    rulec replay RULES --accounts ACCOUNTS --events HISTORY --format jsonl

because every event keeps its line number in the whole history (the bundle's
`E<TAB>line<TAB>event` lines), so each partition's decision lines carry the same
`line` as in the plain run, and `--merge` orders them by that line, sorts the
summaries by id and recomputes the fleet totals.

Local:   python3 replay_fleet.py --rules rules --accounts A.jsonl --events H.jsonl \
             --rulec .build/release/rulec --partitions 4 --output out.jsonl
Cluster: spark-submit ... replay_fleet.py (same arguments; see README.md).
"""

import argparse
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

FNV_OFFSET = 0xCBF29CE484222325
FNV_PRIME = 0x100000001B3
MASK64 = 0xFFFFFFFFFFFFFFFF

ACCOUNT_PREFIX = '{"account":"'


def fnv1a64(account):
    """FNV-1a 64 of the id's UTF-8 bytes: the hash `rulec replay --shard` uses, so
    Spark partition i holds exactly the accounts of `--shard i+1/N`."""
    h = FNV_OFFSET
    for b in account.encode("utf-8"):
        h = ((h ^ b) * FNV_PRIME) & MASK64
    return h


def account_of(line):
    """The `account` of a JSON line, or "" when it has none (malformed JSON, not an
    object, no string `account`). Such lines still go to a partition, where rulec
    reports them as the plain run would (and the job fails)."""
    if line.startswith(ACCOUNT_PREFIX):
        end = line.find('"', len(ACCOUNT_PREFIX))
        if end > 0:
            a = line[len(ACCOUNT_PREFIX):end]
            if "\\" not in a:
                return a
    try:
        value = json.loads(line)
    except ValueError:
        return ""
    if isinstance(value, dict) and isinstance(value.get("account"), str):
        return value["account"]
    return ""


def parse_args(argv):
    p = argparse.ArgumentParser(description="Replay a fleet history with PySpark and `rulec replay --pipe`.")
    p.add_argument("--rules", required=True, help="rulebook file or folder (as rulec sees it on the executors)")
    p.add_argument("--accounts", required=True, help="accounts file (JSON Lines; any path Spark can read)")
    p.add_argument("--events", required=True, help="history (JSON Lines; any path Spark can read)")
    p.add_argument("--rulec", required=True, help="rulec binary, as the executors see it")
    p.add_argument("--driver-rulec", help="rulec binary on the driver, for --merge (default: --rulec)")
    p.add_argument("--partitions", type=int, default=4, help="number of partitions (default 4)")
    p.add_argument("--output", required=True, help="merged output file (on the driver)")
    p.add_argument("--format", default="jsonl", choices=["jsonl", "json", "text", "markdown"],
                   help="format of the merged output (default jsonl)")
    p.add_argument("--rulec-jobs", type=int, default=1,
                   help="--jobs of each partition's rulec (default 1: one Spark task, one core)")
    p.add_argument("--parts-dir", help="keep the partition outputs here (part-00000.jsonl, ...); default: a temporary folder, removed")
    p.add_argument("--master", help="Spark master when not run by spark-submit (e.g. local[2])")
    args = p.parse_args(argv)
    if args.partitions < 1:
        p.error("--partitions must be at least 1")
    return args


def main(argv):
    args = parse_args(argv)
    from pyspark import SparkConf, SparkContext, StorageLevel

    conf = SparkConf().setAppName("rulec-fleet-replay").setIfMissing("spark.ui.showConsoleProgress", "false")
    if args.master:
        conf = conf.setMaster(args.master)
    sc = SparkContext.getOrCreate(conf)
    sc.setLogLevel("WARN")
    n = args.partitions
    t0 = time.monotonic()

    # History: (account, 1, line number in the whole file, event). zipWithIndex numbers
    # the lines in file order from 0; blank lines are numbered (as rulec counts them)
    # and then dropped.
    events = (sc.textFile(args.events)
              .zipWithIndex()
              .filter(lambda li: li[0].strip() != "")
              .map(lambda li: ((account_of(li[0]), 1, li[1] + 1), li[0])))
    # Accounts: (account, 0, line in the accounts file, line); they sort before the events.
    accounts = (sc.textFile(args.accounts)
                .zipWithIndex()
                .filter(lambda li: li[0].strip() != "")
                .map(lambda li: ((account_of(li[0]), 0, li[1] + 1), li[0])))

    # One shuffle: partition by the account's hash, sort within the partition by
    # (kind, line) so that a partition is its A lines, then its E lines in line order.
    bundles = (accounts.union(events)
               .repartitionAndSortWithinPartitions(
                   numPartitions=n,
                   partitionFunc=lambda key: fnv1a64(key[0]),
                   keyfunc=lambda key: (key[1], key[2]))
               .map(lambda kv: ("A\t" + kv[1]) if kv[0][1] == 0 else ("E\t%d\t%s" % (kv[0][2], kv[1]))))

    command = " ".join(shlex.quote(a) for a in [
        args.rulec, "replay", args.rules, "--pipe", "--events", "-",
        "--format", "jsonl", "--jobs", str(args.rulec_jobs)])
    # RDD.pipe starts the command with exactly this environment (none by default).
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C"}
    # checkCode: a partition whose rulec fails (a bad line) fails the job.
    replayed = bundles.pipe(command, env=env, checkCode=True).persist(StorageLevel.MEMORY_AND_DISK)
    try:
        lines = replayed.count()  # runs the partitions in parallel
    except Exception as e:  # py4j or pyspark error: its trace is long, rulec's message is above
        sc.stop()
        sys.exit("replay_fleet: the replay failed (a partition's rulec reports the bad line above as "
                 "`error: -:LINE:COL: ...`, LINE in the whole history): %s" % str(e).splitlines()[0][:300])
    t1 = time.monotonic()

    # Bring each partition's output to the driver, one partition at a time, one file each.
    parts_dir = args.parts_dir or tempfile.mkdtemp(prefix="rulec-spark-")
    os.makedirs(parts_dir, exist_ok=True)
    paths = [os.path.join(parts_dir, "part-%05d.jsonl" % i) for i in range(n)]
    files = [None] * n
    try:
        tagged = replayed.mapPartitionsWithIndex(lambda i, it: ((i, l) for l in it))
        for i, line in tagged.toLocalIterator():
            if files[i] is None:
                files[i] = open(paths[i], "w", encoding="utf-8", newline="\n")
            files[i].write(line)
            files[i].write("\n")
    finally:
        for f in files:
            if f is not None:
                f.close()
    replayed.unpersist()
    sc.stop()
    missing = [p for p, f in zip(paths, files) if f is None]
    if missing:
        # Every rulec run ends with its fleet line, even on an empty partition.
        sys.exit("replay_fleet: no output for %s" % ", ".join(missing))
    t2 = time.monotonic()

    driver_rulec = args.driver_rulec or args.rulec
    merge = [driver_rulec, "replay", "--merge"] + paths + ["--format", args.format, "-o", args.output]
    rc = subprocess.call(merge)
    t3 = time.monotonic()
    if not args.parts_dir:
        shutil.rmtree(parts_dir, ignore_errors=True)
    if rc != 0:
        sys.exit("replay_fleet: rulec replay --merge failed (exit %d)" % rc)
    print("replay_fleet: %d partitions, %d partition output lines; spark %.2fs, collect %.2fs, merge %.2fs"
          % (n, lines, t1 - t0, t2 - t1, t3 - t2), file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
