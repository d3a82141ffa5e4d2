"""Scale benchmarks (issue 21, items 5 and 6), each writing its BENCHMARKS.md section.

    python3 benches/scale.py many      # 5 000 regions of 2-8 groups: per-region overhead
    python3 benches/scale.py national  # ~600 regions, ~1 million groups, 16 shard processes

`many` solves one generated province of many tiny regions with one worker (`taskset -c 0`)
and with every core, then checks the plan; it records wall and CPU seconds and peak memory
(GNU time) of each step.

`national` generates a national input, runs its 16 shards one after another as separate
processes (`solve --shard I/16 --out-dir`, work mode as batch runs use by default, at
`--work-limit W`), records each shard's wall and CPU seconds and peak memory, then merges
and checks the result on every core (time and memory). The makespan on 16 nodes is projected from the
shards' own figures: a node runs one shard; on a node of C cores its regions run C at a
time, so a shard's makespan is at most its CPU seconds / C plus its largest region. At the
default time limit T every region stops by T plus its wind-down, so the default-limit
projection is (regions of the largest shard / C) x (T + the measured per-region overhead),
stated as such. `--reuse-shards` takes the shards' rows from WORK/shards.json, which every
full run writes (with its commit and work limit), and measures merge and check again on the
same region files: the section then names both commits. Needs the release binary
(`scripts/with-deps cargo build --release`).
"""
import argparse, datetime, json, os, platform, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# STARPLAN_BIN: a copy of the release binary, so a rebuild during a long run changes nothing.
BIN = os.environ.get("STARPLAN_BIN", os.path.join(ROOT, "target", "release", "starplan"))
BENCH = os.path.join(ROOT, "BENCHMARKS.md")


def machine():
    model = "unknown"
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    mem = next(l for l in open("/proc/meminfo") if l.startswith("MemTotal")).split()[1]
    return f"{model}, {os.cpu_count()} cores (nproc), {int(mem) // 1024 // 1024} GiB"


def commit():
    """The commit at the start of the run (a commit made while it runs is not its)."""
    global STARTED
    if STARTED is None:
        STARTED = head()
    return STARTED


STARTED = None


def head():
    out = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short=10", "HEAD"], capture_output=True, text=True)
    dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True)
    return out.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "")


def load():
    return os.getloadavg()[0]


def timed(args, pin=None, ok=(0,)):
    """Runs args under GNU time: (wall s, CPU s, peak MB, load before)."""
    before = load()
    with tempfile.NamedTemporaryFile("r", suffix=".time") as t:
        cmd = ["/usr/bin/time", "-f", "%e %U %S %M", "-o", t.name]
        if pin is not None:
            cmd += ["taskset", "-c", pin]
        p = subprocess.run(cmd + args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if p.returncode not in ok:
            sys.exit(f"{' '.join(args)}: exit {p.returncode}\n{p.stderr[-2000:]}")
        wall, user, sys_, rss = t.read().split()[-4:]
    return float(wall), float(user) + float(sys_), int(rss) / 1024, before


def write_section(name, body):
    old = open(BENCH).read() if os.path.exists(BENCH) else "# Benchmarks\n"
    begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
    block = f"{begin}\n{body.rstrip()}\n{end}"
    a, b = old.find(begin), old.find(end)
    new = old[:a] + block + old[b + len(end):] if 0 <= a < b else old.rstrip() + "\n\n" + block + "\n"
    tmp = BENCH + ".tmp"
    open(tmp, "w").write(new)
    os.replace(tmp, BENCH)


def invoked():
    """The command line this run was started with, less the local --work folder."""
    argv, shown = sys.argv[1:], []
    while argv:
        a = argv.pop(0)
        if a == "--work":
            argv = argv[1:]
        elif not a.startswith("--work="):
            shown.append(a)
    return " ".join(["python3 benches/scale.py"] + shown)


def header(title, command):
    return (f"## {title}\n\nWritten by `{command}` on {datetime.date.today()}; starplan {commit()}; "
            f"machine: {machine()}. Load: the 1-minute load average before each step.\n")


def statuses(plan):
    regions = json.load(open(plan))["regions"]
    count = {}
    for r in regions:
        count[r["status"]] = count.get(r["status"], 0) + 1
    certified = [r["proof"]["certified_gap"] for r in regions
                 if r.get("proof") and r["proof"].get("certified_gap") is not None]
    within = sum(1 for g in certified if g <= 0.01)
    return regions, count, within


def many(args):
    work = tempfile.mkdtemp(prefix="starplan-many-")
    inp = os.path.join(work, "tiny.json")
    subprocess.run([BIN, "generate", "--seed", str(args.seed), "--regions", str(args.regions),
                    "--groups", str(args.regions * 7 // 2), "-o", inp], check=True, capture_output=True)
    rows = []
    plan1 = os.path.join(work, "plan1.json")
    w, c, m, l = timed([BIN, "solve", inp, "--threads", "1", "--no-timings", "-q", "-o", plan1], pin="0")
    rows.append(("solve, 1 worker (taskset -c 0)", w, c, m, l))
    plan2 = os.path.join(work, "plan2.json")
    w, c, m, l = timed([BIN, "solve", inp, "--threads", "0", "--no-timings", "-q", "-o", plan2])
    rows.append((f"solve, {os.cpu_count()} workers", w, c, m, l))
    same = open(plan1, "rb").read() == open(plan2, "rb").read()
    w, c, m, l = timed([BIN, "check", inp, plan1], pin="0")
    rows.append(("check (taskset -c 0)", w, c, m, l))
    regions, count, within = statuses(plan1)
    groups = sum(r["groups"] for r in regions)
    body = header("Many small regions", invoked())
    body += (f"\n`starplan generate --seed {args.seed} --regions {args.regions} --groups {args.regions * 7 // 2}`: "
             f"{len(regions)} regions, {groups} groups (2-8 per region), default policy (20 s per region, gap 0.5 %).\n\n"
             "| step | wall s | CPU s | peak MB | per region ms | load |\n|---|---:|---:|---:|---:|---:|\n")
    for name, w, c, m, l in rows:
        body += f"| {name} | {w:.2f} | {c:.2f} | {m:.0f} | {1000 * w / len(regions):.2f} | {l:.2f} |\n"
    body += (f"\nStatuses: {json.dumps(count)}; certified gap <= 1 %: {within} of {len(regions)}. "
             f"1 and {os.cpu_count()} workers give {'byte-identical' if same else 'DIFFERENT'} plans.\n")
    write_section("many-regions", body)
    print(body)


def run_shards(args, inp, out):
    """Runs the shards one after another: per shard (index, wall s, CPU s, peak MB, load
    before, region files written so far)."""
    shards = []
    for i in range(args.shards):
        w, c, m, l = timed([BIN, "solve", inp, "--shard", f"{i}/{args.shards}", "--out-dir", out,
                            "--work-limit", str(args.work_limit), "--threads", "1", "--no-timings", "-q",
                            "--log-format", "json"], pin=args.pin, ok=(0, 3, 4))
        metas = [f for f in os.listdir(out) if f.endswith(".meta.json")]
        shards.append((i, w, c, m, l, len(metas)))
        print(f"shard {i}: {w:.1f} s wall, {c:.1f} s CPU, {m:.0f} MB", flush=True)
    return shards


def national(args):
    work = args.work or tempfile.mkdtemp(prefix="starplan-national-")
    os.makedirs(work, exist_ok=True)
    inp = os.path.join(work, "national.json")
    if not os.path.exists(inp):
        subprocess.run([BIN, "generate", "--seed", str(args.seed), "--regions", str(args.regions),
                        "--groups", str(args.groups), "-o", inp], check=True, capture_output=True)
    out = os.path.join(work, "out")
    saved = os.path.join(work, "shards.json")
    if args.reuse_shards:
        # The shards of an earlier run on this folder (same input, its commit kept), to
        # measure merge and check again without solving 600 regions again.
        kept = json.load(open(saved))
        shards = [tuple(r) for r in kept["rows"]]
        args.work_limit = kept["work_limit"]
        shards_from = f"shards run at starplan {kept['commit']} on {kept['date']}; merge and check at {commit()}"
    else:
        shards = run_shards(args, inp, out)
        shards_from = f"shards, merge and check at starplan {commit()}"
        json.dump({"commit": commit(), "date": str(datetime.date.today()), "work_limit": args.work_limit,
                   "rows": shards}, open(saved, "w"))
    plan = os.path.join(work, "plan.json")
    # Merge and check run on every core of the machine (they read files and check regions
    # in parallel), as the merge job of a cluster would.
    mw, mc, mm, ml = timed([BIN, "merge", out, "--input", inp, "-o", plan, "-q"])
    cw, cc, cm, cl = timed([BIN, "check", inp, plan])
    regions, count, within = statuses(plan)
    groups = sum(r["groups"] for r in regions)
    per_shard = [(s[5] - (shards[k - 1][5] if k else 0)) for k, s in enumerate(shards)]
    biggest = max(per_shard)
    overhead = max(s[1] / n for s, n in zip(shards, per_shard) if n)
    body = header("National scale, simulated", invoked())
    body += f"\n{shards_from[0].upper()}{shards_from[1:]}.\n"
    body += (f"\n`starplan generate --seed {args.seed} --regions {args.regions} --groups {args.groups}`: "
             f"{len(regions)} regions, {groups} groups, input {os.path.getsize(inp) / 1e6:.0f} MB. "
             f"{args.shards} shards (`solve --shard I/{args.shards} --out-dir`, work mode, `--work-limit {args.work_limit}`, "
             f"one worker each), run one after another as separate processes pinned to CPU {args.pin}; "
             f"merge and check on all {os.cpu_count()} cores.\n\n"
             "| shard | regions | wall s | CPU s | peak MB | load |\n|---|---:|---:|---:|---:|---:|\n")
    for (i, w, c, m, l, _), n in zip(shards, per_shard):
        body += f"| {i} | {n} | {w:.1f} | {c:.1f} | {m:.0f} | {l:.2f} |\n"
    body += (f"| merge | {len(regions)} | {mw:.1f} | {mc:.1f} | {mm:.0f} | {ml:.2f} |\n"
             f"| check | {len(regions)} | {cw:.1f} | {cc:.1f} | {cm:.0f} | {cl:.2f} |\n")
    longest = max(s[1] for s in shards)
    body += (f"\nMeasured makespan on 16 one-core nodes at this work limit: the longest shard, {longest:.0f} s "
             f"(merge and check add {mw + cw:.0f} s). Statuses: {json.dumps(count)}; certified gap <= 1 %: "
             f"{within} of {len(regions)}.\n\n"
             f"Projection at the default limit T = {args.default_limit} s per region (every region stops by T "
             f"plus its wind-down; the largest shard has {biggest} regions, at most {overhead:.1f} s per region "
             f"measured here): on 16 nodes of C cores a shard takes at most ceil({biggest} / C) x "
             f"({args.default_limit} + {overhead:.1f}) s: ")
    proj = []
    for cores in (2, 16):
        rounds = -(-biggest // cores)
        proj.append(f"{cores} cores {rounds * (args.default_limit + overhead) / 60:.1f} min")
    body += "; ".join(proj) + ", plus merge and check. This is an upper bound from the limit, not a measurement.\n"
    write_section("national", body)
    print(body)


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="what", required=True)
    m = sub.add_parser("many")
    m.add_argument("--regions", type=int, default=5000)
    m.add_argument("--seed", type=int, default=5)
    n = sub.add_parser("national")
    n.add_argument("--regions", type=int, default=600)
    n.add_argument("--groups", type=int, default=1_000_000)
    n.add_argument("--seed", type=int, default=17)
    n.add_argument("--shards", type=int, default=16)
    n.add_argument("--work-limit", type=float, default=1.0)
    n.add_argument("--default-limit", type=float, default=20.0)
    n.add_argument("--work", help="folder to keep the input and shards in (reused)")
    n.add_argument("--pin", default="0", help="the CPU the shards are pinned to")
    n.add_argument("--reuse-shards", action="store_true",
                   help="take the shards' rows from WORK/shards.json (an earlier run) and measure merge and check again")
    a = ap.parse_args()
    if not os.access(BIN, os.X_OK):
        sys.exit(f"{BIN} is missing: scripts/with-deps cargo build --release")
    commit()
    {"many": many, "national": national}[a.what](a)


if __name__ == "__main__":
    main()
