#!/usr/bin/python3
"""The row indices of PyOD's benchmark splits, as ../shared/reference/sklearn_baselines.py draws them.

sklearn_baselines.py (section c, --protocol=pyod) splits each ODDS table with
train_test_split(X, y, test_size=0.4, random_state=seed) for seed 0..S-1, fits on the first part and scores the
second. That split depends only on the number of rows, the test size and the seed, so splitting the row numbers
0..n-1 the same way gives the rows it used. `bench anomaly` reads them from here, so that our detector and the
scikit-learn baselines are fitted and scored on identical rows.

Options: --rows=N (required), --seeds=S (5), --test-size=0.4.
Last stdout line: JSON {"rows", "seeds", "test_size", "sklearn_version",
                        "splits": [{"seed", "fit": [row, ...], "scored": [row, ...]}, ...]}
Run with /usr/bin/python3 (numpy and scikit-learn from Debian, as for the shared reference scripts).
"""
import json
import sys


def option(name, default, kind):
    for arg in sys.argv[1:]:
        if arg.startswith(f"--{name}="):
            return kind(arg.split("=", 1)[1])
    if default is None:
        sys.exit(f"error: --{name}=... is required")
    return default


def main():
    known = ("--rows=", "--seeds=", "--test-size=")
    unknown = [a for a in sys.argv[1:] if not a.startswith(known)]
    if unknown:
        print(f"error: unknown option {unknown[0]}; valid: --rows=N --seeds=S --test-size=F", file=sys.stderr)
        sys.exit(2)
    rows, seeds, test_size = option("rows", None, int), option("seeds", 5, int), option("test-size", 0.4, float)
    import numpy as np
    import sklearn
    from sklearn.model_selection import train_test_split

    splits = []
    for seed in range(seeds):
        fit, scored = train_test_split(np.arange(rows), test_size=test_size, random_state=seed)
        splits.append({"seed": seed, "fit": fit.tolist(), "scored": scored.tolist()})
    print("JSON " + json.dumps({"rows": rows, "seeds": seeds, "test_size": test_size,
                                "sklearn_version": sklearn.__version__, "splits": splits}))


if __name__ == "__main__":
    main()
