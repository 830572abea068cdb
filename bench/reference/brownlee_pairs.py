#!/usr/bin/python3
"""The training and test pairs of ../shared/reference/seq2seq.py (Brownlee's task), drawn exactly as it draws them.

seq2seq.py makes its training sources with numpy's RandomState(seed).randint(1, 51, size=(n, 6)) and its test sources
with RandomState(seed + 1000); the target is the first 3 of each source, reversed. `bench seq2seq` reads the sources
from here, so that our model trains and is scored on the very pairs the PyTorch reference uses.

Options: --train-pairs=N (100000), --test-pairs=N (1000), --seed=S (1).
Last stdout line: JSON {"seed", "train": [[6 ints], ...], "test": [[6 ints], ...]}
Run with /usr/bin/python3 (numpy from Debian, as for the shared reference scripts).
"""
import json
import sys


def option(name, default):
    for arg in sys.argv[1:]:
        if arg.startswith(f"--{name}="):
            return int(arg.split("=", 1)[1])
    return default


def main():
    known = ("--train-pairs=", "--test-pairs=", "--seed=")
    unknown = [a for a in sys.argv[1:] if not a.startswith(known)]
    if unknown:
        print(f"error: unknown option {unknown[0]}; valid: --train-pairs=N --test-pairs=N --seed=S", file=sys.stderr)
        sys.exit(2)
    import numpy as np
    n_train, n_test, seed = option("train-pairs", 100000), option("test-pairs", 1000), option("seed", 1)
    train = np.random.RandomState(seed).randint(1, 51, size=(n_train, 6))
    test = np.random.RandomState(seed + 1000).randint(1, 51, size=(n_test, 6))
    print("JSON " + json.dumps({"seed": seed, "train": train.tolist(), "test": test.tolist()}, separators=(",", ":")))


if __name__ == "__main__":
    main()
