#!/usr/bin/python3
"""Peers of Latent's search benchmark: FAISS and hnswlib on the very codes and queries the C# side searched.

Usage (the search benchmark runs it; by hand for a check):
  /usr/bin/python3 bench/reference/search_peers.py --data=DIR [--threads=2] [--exact-threads=1,2] [--repeats=5]
      [--k=10] [--m=16] [--ef-construction=100] [--ef=16,32,64] [--exact-queries=1000]

DIR holds, as NumPy .npy files written by the benchmark:
  base.npy          float32 [n, d]  the database
  queries.npy       float32 [q, d]  the queries
  truth.npy         int32 [q, k]    Latent's exact Euclidean neighbours of every query, nearest first
  truth_cosine.npy  int32 [e, k]    Latent's exact cosine neighbours of the first e = --exact-queries queries

Measures, with the benchmark's protocol: building or copying the database is outside the clock; inside it is one
batch call answering all the queries (the cosine search normalises its queries inside the clock, as Latent's does);
each figure is the median wall time of --repeats calls after one untimed warm-up call on 100 queries.
  exact  FAISS IndexFlatL2 and IndexFlatIP (cosine: the database normalised when the index is built) on the first
         --exact-queries queries at each of --exact-threads threads; queries/s, and recall@k against Latent's exact
         neighbours (1 up to ties: an independent check of both sides).
  hnsw   FAISS IndexHNSWFlat and hnswlib with M = --m and efConstruction = --ef-construction, Euclidean, built and
         searched with --threads threads: build seconds, memory (growth of the resident set over the build), and
         recall@k and queries/s of all the queries at each ef.
Each of the three (exact, faiss-hnsw, hnswlib; --part=NAME runs one) runs in a fresh process of this script, so that
one index's freed heap does not hide the next one's memory. The two graphs are saved in DIR once built (outside the
clock); --part=curves opens them and measures their recall-throughput curves again, so that the benchmark can
alternate rounds of ours and theirs on the same graphs.

An inherited OPENBLAS_CORETYPE (or OPENBLAS_L2_SIZE) would pin OpenBLAS, which FAISS's exact search uses, to an
older kernel; the script restarts itself without them. The last stdout line is `JSON {...}` (non-finite numbers
as null). Needs Debian's python3-faiss and python3-hnswlib (apt-get install -y python3-faiss python3-hnswlib).
"""
import os
import sys

PINNING = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
if any(v in os.environ for v in PINNING):   # before numpy loads OpenBLAS
    os.execve(sys.executable, [sys.executable] + sys.argv, {k: v for k, v in os.environ.items() if k not in PINNING})

import importlib.metadata  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402

VALUED = {"data", "threads", "exact-threads", "repeats", "k", "m", "ef-construction", "ef", "exact-queries", "part"}
PARTS = ("exact", "faiss-hnsw", "hnswlib", "curves")
FAISS_FILE, HNSWLIB_FILE = "faiss-hnsw.index", "hnswlib.bin"


def options():
    found = {}
    for a in sys.argv[1:]:
        if a in ("-h", "--help"):
            print(__doc__.strip())
            sys.exit(0)
        name, _, value = a[2:].partition("=")
        if not a.startswith("--") or name not in VALUED or not value:
            sys.exit(f"search_peers.py: unknown option {a!r}; options: " + " ".join(f"--{v}=..." for v in sorted(VALUED)))
        found[name] = value
    if "data" not in found:
        sys.exit("search_peers.py: --data=DIR is required")
    if found.get("part", PARTS[0]) not in PARTS:
        sys.exit(f"search_peers.py: --part must be one of {', '.join(PARTS)}")
    return found


OPTS = options()
try:
    import faiss
    import hnswlib
    import numpy as np
except ImportError as e:
    sys.exit(f"search_peers.py: {e}; install with apt-get install -y python3-faiss python3-hnswlib and run /usr/bin/python3")


def number_list(name, default):
    return [int(v) for v in OPTS.get(name, default).split(",")]


DATA = OPTS["data"]
THREADS = int(OPTS.get("threads", "2"))
EXACT_THREADS = number_list("exact-threads", f"1,{THREADS}")
REPEATS = int(OPTS.get("repeats", "5"))
K = int(OPTS.get("k", "10"))
M = int(OPTS.get("m", "16"))
EF_CONSTRUCTION = int(OPTS.get("ef-construction", "100"))
EFS = number_list("ef", "16,24,32,48,64,96,128,192,256")


class Load:
    """CPU time other processes used while we ran, in cores (Linux /proc; the same measure as the C# side's)."""

    def __init__(self):
        self.start = self.sample()

    @staticmethod
    def sample():
        with open("/proc/stat") as f:
            cpu = [int(v) for v in f.readline().split()[1:8]]
        busy = cpu[0] + cpu[1] + cpu[2] + cpu[5] + cpu[6]     # user nice system irq softirq
        with open("/proc/self/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        own = sum(int(v) for v in fields[11:15])              # utime stime, and of the waited-for children
        return busy, own, time.monotonic()

    def foreign_cores(self):
        (b0, o0, t0), (b1, o1, t1) = self.start, self.sample()
        return max(0.0, ((b1 - b0) - (o1 - o0)) / os.sysconf("SC_CLK_TCK") / max(t1 - t0, 1e-9))


def median(xs):
    xs = sorted(xs)
    n = len(xs)
    return xs[n // 2] if n % 2 else 0.5 * (xs[n // 2 - 1] + xs[n // 2])


def timed(warm_up, run):
    """Median wall seconds of REPEATS calls of run() after one warm_up(), and the last call's result."""
    warm_up()
    seconds, result = [], None
    for _ in range(REPEATS):
        start = time.perf_counter()
        result = run()
        seconds.append(time.perf_counter() - start)
    return median(seconds), result


def recall(found, truth):
    """Mean share of each query's true k neighbours among the k found."""
    hits = (found[:, :truth.shape[1], None] == truth[:, None, :]).any(axis=2)
    return float(hits.sum()) / truth.size


def resident_mib():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


def exact(base, queries, truth, truth_cosine):
    rows = []
    normalised = base.copy()
    faiss.normalize_L2(normalised)
    indexes = [("faiss IndexFlatL2", "euclidean", faiss.IndexFlatL2(base.shape[1]), base, truth),
               ("faiss IndexFlatIP", "cosine", faiss.IndexFlatIP(base.shape[1]), normalised, truth_cosine)]
    for name, metric, index, database, expected in indexes:
        index.add(database)

        def search(q, index=index, metric=metric):
            if metric == "cosine":
                q = q.copy()
                faiss.normalize_L2(q)
            return index.search(q, K)

        for threads in EXACT_THREADS:
            faiss.omp_set_num_threads(threads)
            seconds, (_, found) = timed(lambda: search(queries[:100]), lambda: search(queries))
            row = dict(name=name, metric=metric, threads=threads, queries=len(queries), seconds=seconds,
                       qps=len(queries) / seconds, recall=recall(found, expected))
            print(f"{name} ({metric}), {threads} thread(s): {row['qps']:.0f} queries/s "
                  f"(median {seconds * 1e3:.0f} ms), recall@{K} against Latent's exact {row['recall']:.4f}", flush=True)
            rows.append(row)
    return rows


def curve(name, set_ef, search, queries, truth):
    points = []
    for ef in EFS:
        set_ef(ef)
        seconds, found = timed(lambda: search(queries[:100]), lambda: search(queries))
        points.append(dict(ef=ef, recall=recall(found, truth), qps=len(queries) / seconds, seconds=seconds))
        print(f"{name} ef {ef}: recall@{K} {points[-1]['recall']:.4f}, {points[-1]['qps']:.0f} queries/s", flush=True)
    return points


def faiss_hnsw(base, queries, truth):
    faiss.omp_set_num_threads(THREADS)
    before, start = resident_mib(), time.perf_counter()
    index = faiss.IndexHNSWFlat(base.shape[1], M)
    index.hnsw.efConstruction = EF_CONSTRUCTION
    index.add(base)
    build, memory = time.perf_counter() - start, resident_mib() - before
    print(f"faiss IndexHNSWFlat: built in {build:.1f} s, {memory:.0f} MiB", flush=True)
    points = faiss_curve(index, queries, truth)
    faiss.write_index(index, os.path.join(DATA, FAISS_FILE))   # after the curve: its writeback must not overlap the timing
    return dict(name="faiss IndexHNSWFlat", build_seconds=build, memory_mb=memory * 1.048576, curve=points)


def faiss_curve(index, queries, truth):
    def set_ef(ef):
        index.hnsw.efSearch = ef

    return curve("faiss IndexHNSWFlat", set_ef, lambda q: index.search(q, K)[1], queries, truth)


def hnswlib_hnsw(base, queries, truth):
    before, start = resident_mib(), time.perf_counter()
    index = hnswlib.Index(space="l2", dim=base.shape[1])
    index.init_index(max_elements=len(base), ef_construction=EF_CONSTRUCTION, M=M, random_seed=100)
    index.add_items(base, np.arange(len(base)), num_threads=THREADS)
    build, memory = time.perf_counter() - start, resident_mib() - before
    print(f"hnswlib: built in {build:.1f} s, {memory:.0f} MiB", flush=True)
    points = hnswlib_curve(index, queries, truth)
    index.save_index(os.path.join(DATA, HNSWLIB_FILE))   # after the curve, as FAISS's
    return dict(name="hnswlib", build_seconds=build, memory_mb=memory * 1.048576, curve=points)


def hnswlib_curve(index, queries, truth):
    return curve("hnswlib", index.set_ef, lambda q: index.knn_query(q, k=K, num_threads=THREADS)[0], queries, truth)


def curves(base, queries, truth):
    """The saved graphs' curves again (no build, no memory figure)."""
    faiss.omp_set_num_threads(THREADS)
    index = faiss.read_index(os.path.join(DATA, FAISS_FILE))
    result = [dict(name="faiss IndexHNSWFlat", curve=faiss_curve(index, queries, truth))]
    del index
    index = hnswlib.Index(space="l2", dim=base.shape[1])
    index.load_index(os.path.join(DATA, HNSWLIB_FILE), max_elements=len(base))
    result.append(dict(name="hnswlib", curve=hnswlib_curve(index, queries, truth)))
    return dict(hnsw=result)


def clean(o):
    if isinstance(o, dict):
        return {k: clean(v) for k, v in o.items()}
    if isinstance(o, list):
        return [clean(v) for v in o]
    if isinstance(o, float):
        return float(f"{o:.6g}") if math.isfinite(o) else None
    return o


def part(name):
    """One part in this process; prints its result as the JSON line."""
    base = np.load(os.path.join(DATA, "base.npy"), mmap_mode="r" if name == "curves" else None)   # curves: only its shape
    queries = np.load(os.path.join(DATA, "queries.npy"))
    truth = np.load(os.path.join(DATA, "truth.npy"))
    if name == "exact":
        truth_cosine = np.load(os.path.join(DATA, "truth_cosine.npy"))
        exact_queries = len(truth_cosine)
        result = dict(exact=exact(base, queries[:exact_queries], truth[:exact_queries], truth_cosine))
    else:
        result = dict(curves=curves, hnswlib=hnswlib_hnsw).get(name, faiss_hnsw)(base, queries, truth)
    print("JSON " + json.dumps(clean(result), separators=(",", ":"), allow_nan=False), flush=True)


def run_part(name):
    """Runs one part in a fresh process of this script, so that the resident-set growth it reports is its index's
    alone (in one process, an index would reuse the heap a freed one left behind); echoes its lines."""
    child = subprocess.Popen([sys.executable, os.path.abspath(__file__)] + sys.argv[1:] + [f"--part={name}"],
                             stdout=subprocess.PIPE, text=True)
    result = None
    for line in child.stdout:
        if line.startswith("JSON "):
            result = json.loads(line[5:])
        else:
            print(line, end="", flush=True)
    if child.wait() != 0 or result is None:
        sys.exit(f"search_peers.py: the {name} part failed (exit code {child.returncode})")
    return result


def main():
    if "part" in OPTS:
        part(OPTS["part"])
        return
    base = np.load(os.path.join(DATA, "base.npy"), mmap_mode="r")
    queries = np.load(os.path.join(DATA, "queries.npy"), mmap_mode="r")
    truth = np.load(os.path.join(DATA, "truth.npy"))
    truth_cosine = np.load(os.path.join(DATA, "truth_cosine.npy"))
    exact_queries = int(OPTS.get("exact-queries", str(len(truth_cosine))))
    if base.dtype != np.float32 or queries.dtype != np.float32 or base.shape[1] != queries.shape[1]:
        sys.exit("search_peers.py: base.npy and queries.npy must be float32 rows of the same width")
    if len(truth) != len(queries) or len(truth_cosine) != exact_queries or truth.shape[1] != K:
        sys.exit(f"search_peers.py: the truth files do not match {len(queries)} queries, {exact_queries} exact queries and k = {K}")
    print(f"# peers: faiss {faiss.__version__}, hnswlib {importlib.metadata.version('hnswlib')}, numpy {np.__version__}; "
          f"{len(base)} codes of {base.shape[1]} values, {len(queries)} queries, {THREADS} threads, median of {REPEATS}", flush=True)
    load = Load()
    result = dict(faiss_version=faiss.__version__, hnswlib_version=importlib.metadata.version("hnswlib"),
                  threads=THREADS, repeats=REPEATS, k=K, m=M, ef_construction=EF_CONSTRUCTION,
                  rows=len(base), dim=base.shape[1], queries=len(queries), exact_queries=exact_queries)
    result["exact"] = run_part("exact")["exact"]
    result["hnsw"] = [run_part("faiss-hnsw"), run_part("hnswlib")]
    result["foreign_load_cores"] = load.foreign_cores()
    print(f"# other processes used {result['foreign_load_cores']:.2f} cores on average during the peers' run", flush=True)
    print("JSON " + json.dumps(clean(result), separators=(",", ":"), allow_nan=False), flush=True)


if __name__ == "__main__":
    main()
