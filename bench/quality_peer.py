"""The scikit-learn peer of `npm run bench -- quality` (bench/quality.ts). Run with Debian's python.

  quality_peer.py data <dir>
      writes breast-cancer.csv, digits.csv, wine.csv, diabetes.csv from sklearn's bundled sets,
      rows shuffled once with seed 1 (the bundled files are sorted by class).
  quality_peer.py run --train A.csv --test B.csv --target COL --task binary|multiclass|regression
                      [--gt X] [--text COL] [--log1p A,B] [--cross A:B,C:D]
      progressive (test-then-train) over A, one row at a time, then the final model scored on B;
      prints one JSON object: {"progressive": m, "test": m, "rows": n, "testRows": n, "seconds": s}.
  quality_peer.py run ... --tune [--schedule invscaling|constant] [--jobs N]
      the tuned peer: the same model, features and protocol for every point of a grid, eta0 in 8
      log-spaced values 1e-3 .. 1 times alpha in {1e-5, 1e-4, 1e-3} (penalty 'l2'), learning_rate
      'invscaling' (eta0 / t^0.25), the schedule that gave scikit-learn its best figures: on the
      10,000-row cuts of the sets its best grid point beat 'constant''s on diabetes (+0.088 R²), flights
      (+0.009 AUC) and digits (+0.004 accuracy), tied on wine, and trailed by at most 0.001 on
      breast-cancer and SEA. The features are built once; the grid points run in N worker
      processes (default: one per core), each model partial_fit one row at a time as in `run`.
      Prints one JSON object:
      {"best": point, "grid": [point ...], "schedule": s, "jobs": n, "rows": n, "testRows": n,
      "seconds": s}, a point being {"config": {...}, "progressive": m, "test": m}, or
      {"config": {...}, "diverged": row} when scikit-learn's weights overflowed at that training
      row (left out of "best"); "best" is the highest progressive metric in hindsight.
  quality_peer.py forest --train A.csv --test B.csv --task binary|multiclass|regression
      the random-forest line: A and B hold numbers only (the features bench/quality.ts encoded, then
      the target y: a class index, or the value); RandomForestClassifier / RandomForestRegressor with
      100 trees, default options, random_state=1, fit on A and scored on B; prints one JSON object:
      {"test": accuracy or r2, "auc": ROC AUC (binary only), "seconds": fit time, "rows": n, "testRows": n}.

Features, as sluice's quick path builds them: the columns sluice chose to log1p (--log1p, from
its report's choices) as log1p(x); numbers imputed with the running mean and standardized with
the running mean/variance of the rows seen so far (StandardScaler.partial_fit's statistics, kept by
hand because its per-call checks cost more than the model); categories one-hot; the crossed
category pairs (--cross) one-hot per pair of values; text as hashed TF-IDF like sluice's: term
counts from HashingVectorizer(n_features=2**16, alternate_sign=False, norm=None, English stop
words), sublinear tf (1 + ln tf), idf = ln((1 + N) / (1 + df)) + 1 from a running document count over
the rows seen so far (TfidfVectorizer needs a vocabulary fitted up front; this is the streaming
form), rows scaled to unit L2 norm.
The model: SGDClassifier(loss='log_loss') or SGDRegressor(), otherwise default hyperparameters
(learning_rate 'optimal' for classification, 'invscaling' for regression), partial_fit per row,
classes given on the first call. Each row is predicted before it is learned.
"""

import argparse
import csv
import json
import math
import multiprocessing
import os
import sys
import time

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.linear_model import SGDClassifier, SGDRegressor
from sklearn.metrics import accuracy_score, r2_score, roc_auc_score


def write_data(out):
    from sklearn import datasets

    sets = {
        "breast-cancer": (datasets.load_breast_cancer(), "diagnosis", lambda b, y: str(int(y))),
        "digits": (datasets.load_digits(), "digit", lambda b, y: str(int(y))),
        "wine": (datasets.load_wine(), "cultivar", lambda b, y: str(int(y))),
        "diabetes": (datasets.load_diabetes(), "progression", lambda b, y: repr(float(y))),
    }
    for name, (bunch, target, label) in sets.items():
        # Class labels are written as sklearn has them, integers (breast cancer 0 malignant / 1 benign,
        # digits 0..9, wine 0..2), as users' files hold them: sluice must see classes there unaided.
        order = np.random.RandomState(1).permutation(len(bunch.target))
        cols = [str(c).replace(" ", "_") for c in bunch.feature_names] if hasattr(bunch, "feature_names") else None
        with open(f"{out}/{name}.csv", "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow([*cols, target])
            for i in order:
                w.writerow([repr(float(v)) for v in bunch.data[i]] + [label(bunch, bunch.target[i])])


def read_csv(path):
    with open(path, newline="") as f:
        r = csv.reader(f)
        header = next(r)
        rows = list(r)
    return header, rows


def as_float(s):
    try:
        return float(s)
    except ValueError:
        return math.nan


class Features:
    """Column kinds from the training file: number when every non-empty value parses, text when named, else category."""

    def __init__(self, header, rows, skip, text, log1p=(), cross=()):
        self.num, self.cat, self.text = [], [], None
        self.log1p = {header.index(c) for c in log1p}
        self.cross = [(header.index(a), header.index(b)) for a, b in cross]
        for j, name in enumerate(header):
            if j in skip:
                continue
            if name == text:
                self.text = j
            elif all(v == "" or not math.isnan(as_float(v)) for v in (row[j] for row in rows)):
                self.num.append(j)
            else:
                self.cat.append(j)
        # The category values over the training file: one-hot needs a fixed width for SGD.
        self.levels = {j: {v: k for k, v in enumerate(sorted({row[j] for row in rows}))} for j in self.cat}
        self.pairs = [{v: k for k, v in enumerate(sorted({(row[a], row[b]) for row in rows}))} for a, b in self.cross]
        self.width = len(self.num) + sum(len(v) for v in self.levels.values())
        self.hasher = HashingVectorizer(n_features=2**16, alternate_sign=False, norm=None, stop_words="english")
        self.docs, self.df = 0, np.zeros(2**16)
        d = len(self.num)
        self.n, self.mean, self.m2 = np.zeros(d), np.zeros(d), np.zeros(d)

    def matrix(self, rows, learn):
        """Yields each row's feature vector; with `learn`, the running statistics take the row first."""
        def value(row, j):
            x = as_float(row[j])
            return math.copysign(math.log1p(abs(x)), x) if j in self.log1p and not math.isnan(x) else x

        raw = np.array([[value(row, j) for j in self.num] for row in rows], dtype=np.float64).reshape(len(rows), len(self.num))
        hashed = self.hasher.transform([row[self.text] for row in rows]).tocsr() if self.text is not None else None
        for i, row in enumerate(rows):
            x = raw[i]
            seen = ~np.isnan(x)
            if learn:
                # Welford, per column, over the values present (as StandardScaler.partial_fit ignores NaN).
                self.n[seen] += 1
                delta = x[seen] - self.mean[seen]
                self.mean[seen] += delta / self.n[seen]
                self.m2[seen] += delta * (x[seen] - self.mean[seen])
            var = np.where(self.n > 0, self.m2 / np.maximum(self.n, 1), 0.0)
            std = np.where(var > 0, np.sqrt(var), 1.0)
            z = np.where(seen, (x - self.mean) / std, 0.0)
            parts = [z]
            for j in self.cat:
                hot = np.zeros(len(self.levels[j]))
                k = self.levels[j].get(row[j])
                if k is not None:
                    hot[k] = 1.0
                parts.append(hot)
            for (a, b), levels in zip(self.cross, self.pairs):
                hot = np.zeros(len(levels))
                k = levels.get((row[a], row[b]))
                if k is not None:
                    hot[k] = 1.0
                parts.append(hot)
            dense = np.concatenate(parts).reshape(1, -1)
            yield sparse.hstack([sparse.csr_matrix(dense), self.tfidf(hashed[i], learn)]).tocsr() if hashed is not None else dense

    def tfidf(self, counts, learn):
        """Sublinear tf times the running idf (the document counts take the row first when learning), L2-normalized."""
        row = counts.tocsr().copy()
        if learn:
            self.docs += 1
            self.df[row.indices] += 1
        row.data = (1 + np.log(row.data)) * (np.log((1 + self.docs) / (1 + self.df[row.indices])) + 1)
        norm = np.sqrt((row.data**2).sum())
        if norm > 0:
            row.data /= norm
        return row


def prepare(a):
    """The rows as the peer sees them: each training row's features (built once, the running statistics
    taking the row first, as `run` always did), the test rows' (with the final statistics), the labels."""
    header, train = read_csv(a.train)
    _, test = read_csv(a.test)
    t = header.index(a.target)
    log1p = [c for c in (a.log1p or "").split(",") if c]
    cross = [tuple(p.split(":")) for p in (a.cross or "").split(",") if p]
    feats = Features(header, train, {t}, a.text, log1p, cross)

    def label(row):
        v = row[t]
        if a.gt is not None:
            return int(as_float(v) > a.gt)
        return float(v) if a.task == "regression" else v

    y_train = [label(r) for r in train]
    y_test = [label(r) for r in test]
    classes = None if a.task == "regression" else np.array(sorted(set(y_train) | set(y_test)))
    x_train = list(feats.matrix(train, True))
    x_test = list(feats.matrix(test, False))
    return x_train, y_train, x_test, y_test, classes


def stream(model, task, classes, x_train, y_train, x_test):
    """Progressive then test: each training row predicted with the model's decision function
    (coef_ · x + intercept_, what predict uses), then learned by partial_fit; then the test rows.
    Returns (progressive scores, test scores, None), or (None, None, row) when the weights overflowed
    at that row (scikit-learn raises; the run ends there, as sluice's --on-divergence stop does)."""
    single = task == "regression" or len(classes) == 2
    fitted = False

    def predict(x):
        if not fitted:
            return 0.0 if single else np.zeros(len(classes))
        if sparse.issparse(x):
            # Only the row's non-zero columns: `x @ coef_.T` copies the whole (classes × 2**16) coef_ first.
            s = model.coef_[:, x.indices] @ x.data + model.intercept_
        else:
            s = np.asarray(x @ model.coef_.T + model.intercept_).ravel()
        return float(s[0]) if single else s

    scores = []
    for i, (x, y) in enumerate(zip(x_train, y_train)):
        scores.append(predict(x))
        try:
            if fitted or classes is None:
                model.partial_fit(x, [y])
            else:
                model.partial_fit(x, [y], classes=classes)
        except ValueError as e:
            if "overflow" not in str(e):
                raise
            return None, None, i
        fitted = True
    return scores, [predict(x) for x in x_test], None


def run(a):
    t0 = time.time()
    x_train, y_train, x_test, y_test, classes = prepare(a)
    model = SGDRegressor() if a.task == "regression" else SGDClassifier(loss="log_loss")
    scores, test_scores, diverged = stream(model, a.task, classes, x_train, y_train, x_test)
    if diverged is not None:
        raise SystemExit(f"the default model's weights overflowed at training row {diverged}")
    out = {
        "progressive": metric(a.task, classes, y_train, scores),
        "test": metric(a.task, classes, y_test, test_scores),
        "rows": len(y_train),
        "testRows": len(y_test),
        "seconds": round(time.time() - t0, 2),
    }
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")


# The tuned peer's grid: 8 learning rates log-spaced over 1e-3 .. 1, times 3 L2 strengths.
ETA0 = [float(v) for v in np.logspace(-3, 0, 8)]
ALPHA = [1e-5, 1e-4, 1e-3]
# What the grid's worker processes read: set before the pool forks, so the rows are shared, not pickled.
_shared = None


def grid_point(config):
    """One configuration of the grid through the shared rows: its progressive and test figures."""
    a, x_train, y_train, x_test, y_test, classes = _shared
    if a.task == "regression":
        model = SGDRegressor(**config)
    else:
        model = SGDClassifier(loss="log_loss", **config)
    scores, test_scores, diverged = stream(model, a.task, classes, x_train, y_train, x_test)
    if diverged is not None:
        return {"config": config, "diverged": diverged}
    return {"config": config, "progressive": metric(a.task, classes, y_train, scores), "test": metric(a.task, classes, y_test, test_scores)}


def tune(a):
    """Every point of the grid through the same rows (features built once); the best progressive metric in hindsight."""
    global _shared
    t0 = time.time()
    _shared = (a, *prepare(a))
    configs = [{"learning_rate": a.schedule, "eta0": eta0, "alpha": alpha, "penalty": "l2"} for eta0 in ETA0 for alpha in ALPHA]
    # The grid points are independent: one worker per core (per-row partial_fit is Python-bound, one core each).
    jobs = max(1, min(a.jobs or len(os.sched_getaffinity(0)), len(configs)))
    if jobs > 1:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            grid = pool.map(grid_point, configs, chunksize=1)
    else:
        grid = [grid_point(c) for c in configs]
    scored = [e for e in grid if "progressive" in e and math.isfinite(e["progressive"])]
    best = max(scored, key=lambda e: e["progressive"]) if scored else None
    out = {
        "best": best,
        "grid": grid,
        "schedule": a.schedule,
        "jobs": jobs,
        "rows": len(_shared[2]),
        "testRows": len(_shared[4]),
        "seconds": round(time.time() - t0, 2),
    }
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")


def forest(a):
    """RandomForestClassifier/Regressor(n_estimators=100, random_state=1), otherwise defaults, on the encoded numeric files."""
    from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor

    def load(path):
        m = np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2)
        return m[:, :-1], m[:, -1]

    x, y = load(a.train)
    xt, yt = load(a.test)
    regression = a.task == "regression"
    model = RandomForestRegressor(n_estimators=100, random_state=1) if regression else RandomForestClassifier(n_estimators=100, random_state=1)
    if not regression:
        y, yt = y.astype(int), yt.astype(int)
    t0 = time.time()
    model.fit(x, y)
    seconds = time.time() - t0
    out = {"rows": len(y), "testRows": len(yt), "seconds": round(seconds, 2)}
    if regression:
        out["test"] = float(r2_score(yt, model.predict(xt)))
    else:
        p = model.predict_proba(xt)
        out["test"] = float(accuracy_score(yt, model.classes_[np.argmax(p, axis=1)]))
        if a.task == "binary" and len(model.classes_) == 2:
            out["auc"] = float(roc_auc_score(yt == model.classes_[1], p[:, 1]))
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")


def metric(task, classes, y, scores):
    if task == "regression":
        return float(r2_score(y, scores))
    if task == "binary":
        return float(roc_auc_score([v == classes[1] for v in y], scores))
    return float(accuracy_score(y, [classes[int(np.argmax(s))] for s in scores]))


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("data")
    d.add_argument("dir")
    r = sub.add_parser("run")
    r.add_argument("--train", required=True)
    r.add_argument("--test", required=True)
    r.add_argument("--target", required=True)
    r.add_argument("--task", required=True, choices=["binary", "multiclass", "regression"])
    r.add_argument("--gt", type=float)
    r.add_argument("--text")
    r.add_argument("--log1p", help="columns to log1p, as sluice's report chose them")
    r.add_argument("--cross", help="crossed category pairs a:b,c:d, as sluice's report lists them")
    r.add_argument("--tune", action="store_true", help="the grid of ETA0 x ALPHA instead of the defaults")
    r.add_argument("--schedule", default="invscaling", choices=["invscaling", "constant"], help="the tuned grid's learning_rate")
    r.add_argument("--jobs", type=int, help="worker processes for --tune (default: one per core)")
    fo = sub.add_parser("forest")
    fo.add_argument("--train", required=True)
    fo.add_argument("--test", required=True)
    fo.add_argument("--task", required=True, choices=["binary", "multiclass", "regression"])
    a = p.parse_args()
    if a.cmd == "data":
        write_data(a.dir)
    elif a.cmd == "forest":
        forest(a)
    elif a.tune:
        tune(a)
    else:
        run(a)


if __name__ == "__main__":
    main()
