#!/usr/bin/env python3
"""Do typing errors come together? The measurement behind kTypoLift
(query/spelling.hpp): on the Reuters-21578 SGML files, how much more often
two words of one sentence (or paragraph, or article) are both typing errors
than errors drawn independently, word by word, would make them.

A typing error here is a word of 5 letters or more in at most MAX_DF
articles that is one edit (a letter left out, added, replaced, or two
neighbours swapped) from a word in at least NEIGHBOUR_DF articles, the edit
not at the word's end (so that "eights" or "lawns" are not counted as errors
of "eight" or "lawn"). Each unit counts its distinct words of 5 letters or
more (units with fewer than 4 are left out) and, among them, its errors:

    lift = (sum k (k - 1) / sum n (n - 1)) / p^2,   p = sum k / sum n

for n words and k errors a unit; 1 when errors fall independently.

Usage: scripts/typo-lift.py ../shared/data/reuters21578
"""
import collections
import glob
import os
import re
import string
import sys

LETTERS = string.ascii_lowercase


def one_edit(w):
    splits = [(w[:i], w[i:]) for i in range(len(w) + 1)]
    out = {a + b[1:] for a, b in splits if b}
    out |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    out |= {a + c + b[1:] for a, b in splits if b for c in LETTERS}
    out |= {a + c + b for a, b in splits for c in LETTERS}
    out.discard(w)
    return out


def at_the_end(w, c):
    """True when w and c differ only at their last letter or by one letter added at the end."""
    return w[:-1] == c[:-1] or c == w[:-1] or w == c[:-1]


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__.strip().splitlines()[-1])
    files = sorted(glob.glob(os.path.join(sys.argv[1], "*.sgm")))
    if not files:
        sys.exit(f"typo-lift.py: {sys.argv[1]}: no .sgm files")
    bodies = []
    for f in files:
        with open(f, encoding="latin-1") as fh:
            bodies += [b.lower() for b in re.findall(r"<BODY>(.*?)</BODY>", fh.read(), re.S)]
    df = collections.Counter()
    for b in bodies:
        df.update(set(re.findall(r"[a-z]+", b)))
    units = {
        "sentence": [u for b in bodies for u in re.split(r"[.;:]\s", b)],
        "paragraph": [u for b in bodies for u in re.split(r"\n\s+", b)],
        "article": bodies,
    }
    units = {name: [set(w for w in re.findall(r"[a-z]+", u) if len(w) >= 5) for u in us]
             for name, us in units.items()}
    print(f"{len(bodies)} articles")
    for max_df, neighbour_df in ((2, 100), (1, 100), (1, 500)):
        errors = {w for w, n in df.items()
                  if n <= max_df and len(w) >= 5
                  and any(df.get(c, 0) >= neighbour_df and not at_the_end(w, c) for c in one_edit(w))}
        row = []
        for name, us in units.items():
            ns = [len(u) for u in us if len(u) >= 4]
            ks = [len(u & errors) for u in us if len(u) >= 4]
            p = sum(ks) / sum(ns)
            lift = sum(k * (k - 1) for k in ks) / sum(n * (n - 1) for n in ns) / (p * p)
            row.append(f"{name} {lift:.2f} ({sum(ks)} errors)")
        print(f"errors in <= {max_df} articles, a neighbour in >= {neighbour_df}: {len(errors)} words; lift: "
              + ", ".join(row))


if __name__ == "__main__":
    main()
