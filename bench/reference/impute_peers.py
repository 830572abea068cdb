#!/usr/bin/python3
"""scikit-learn's KNNImputer and IterativeImputer on the very masks `bench impute` drew for our imputer.

For every case NAME listed in FOLDER/cases.txt (one a line) the bench wrote NAME.truth.npy (the table min-max
normalised as GAIN does, float32) and NAME.holed.npy (the same with the hidden cells set to NaN). Each peer imputes
the holed table; the RMSE is taken over the cells that are NaN in the holed table and known in the truth.
KNNImputer(n_neighbors=5) is scikit-learn's default; IterativeImputer(max_iter=10, random_state=SEED) is the one
../shared/reference/sklearn_baselines.py runs (BayesianRidge rounds, ~ MICE); SEED is the number after the last
'-s' in NAME.

Options: --folder=DIR (required), --threads=N (2).
Last stdout line: JSON {"sklearn_version", "threads", "cases": {NAME: {"knn", "iterative", "knn_s", "iterative_s"}}}
Run with /usr/bin/python3 (numpy and scikit-learn from Debian, as for the shared reference scripts).
"""
import json
import os
import sys
import time
import warnings


def option(name, default, kind):
    for arg in sys.argv[1:]:
        if arg.startswith(f"--{name}="):
            return kind(arg.split("=", 1)[1])
    if default is None:
        sys.exit(f"error: --{name}=... is required")
    return default


def main():
    known = ("--folder=", "--threads=")
    unknown = [a for a in sys.argv[1:] if not a.startswith(known)]
    if unknown:
        print(f"error: unknown option {unknown[0]}; valid: --folder=DIR --threads=N", file=sys.stderr)
        sys.exit(2)
    folder, threads = option("folder", None, str), option("threads", 2, int)
    import numpy as np
    import sklearn
    from threadpoolctl import threadpool_limits
    from sklearn.experimental import enable_iterative_imputer  # noqa: F401
    from sklearn.impute import IterativeImputer, KNNImputer
    from sklearn.exceptions import ConvergenceWarning

    threadpool_limits(threads)
    with open(os.path.join(folder, "cases.txt")) as f:
        names = [line.strip() for line in f if line.strip()]
    cases = {}
    for name in names:
        truth = np.load(os.path.join(folder, name + ".truth.npy")).astype(np.float64)
        holed = np.load(os.path.join(folder, name + ".holed.npy")).astype(np.float64)
        scored = np.isnan(holed) & ~np.isnan(truth)
        seed = int(name.rsplit("-s", 1)[1])
        result = {}
        for peer, make in (("knn", lambda: KNNImputer(n_neighbors=5)),
                           ("iterative", lambda: IterativeImputer(max_iter=10, random_state=seed))):
            start = time.perf_counter()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                filled = make().fit_transform(holed)
            result[peer + "_s"] = time.perf_counter() - start
            result[peer] = float(np.sqrt(((filled - truth)[scored] ** 2).mean()))
        print(f"{name}: knn {result['knn']:.4f} ({result['knn_s']:.1f} s), iterative {result['iterative']:.4f} ({result['iterative_s']:.1f} s)", flush=True)
        cases[name] = result
    print("JSON " + json.dumps({"sklearn_version": sklearn.__version__, "threads": threads, "cases": cases}))


if __name__ == "__main__":
    main()
