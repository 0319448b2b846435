#!/usr/bin/env python3
"""Writes rules/lexicon.tsv, newsie's built-in lexicon, from the name lists
of training/names/ (written for the project by a helper that saw neither the
evaluation sets nor the model's errors).

A name goes in with the type of its list unless it is also listed with
another type (a person, a place, a MISC name), or CoNLL-2003's own training
files (eng.train, eng.testa) tag it mostly as another type ("White House" is
LOC there, "Nikkei" MISC), or ends in a lower-case noun ("Congress party";
newsie leaves such nouns outside names): those are left to the model. EXTRA adds groupings
of states the lists give as MISC, and common-noun acronyms of today's news
that are no names (type O).

    python3 scripts/make_lexicon.py [--lists org_groups,org_bodies,org_companies,org_more,misc_products] [--out rules/lexicon.tsv]
"""
import argparse
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "training"))
TYPES = {
    "org_groups": "ORG",
    "org_bodies": "ORG",
    "org_companies": "ORG",
    "org_more": "ORG",
    "loc_places": "LOC",
    "misc_names": "MISC",
    "misc_products": "MISC",
    "per_names": "PER",
}


# Groupings of states are organisations (the model issue: "alliances ... are
# not ORG"); the lists have G7 and G20 as MISC. Type O: no name, whatever the
# model says.
EXTRA = [("ORG", n) for n in ["G7", "G-7", "G20", "G-20", "G77", "Quad", "AUKUS", "BRICS", "OPEC+"]] + [
    ("O", n) for n in ["AI", "AGI", "EV", "EVs", "GDP", "CEO", "CFO", "COO", "ETF", "ETFs", "LNG", "GPU", "GPUs",
                       "ESG", "NFT", "NFTs", "VAT", "CPI", "PMI", "LGBTQ", "LGBTQ+"]
]


def conll_types(folder):
    """Entity surface -> Counter of types in CoNLL-2003's eng.train and eng.testa."""
    from collections import Counter, defaultdict

    import conll

    types = defaultdict(Counter)
    for f in ["eng.train", "eng.testa"]:
        for rows in conll.read_sentences(os.path.join(folder, f)):
            words = [r[0] for r in rows]
            for kind, start, end in conll.spans(conll.iob1_to_bio([r[-1] for r in rows])):
                types[" ".join(words[start:end])][kind] += 1
    return types


def conll_form(name):
    """A name as CoNLL-2003 writes its words ("Moody's" -> "Moody 's")."""
    return name.replace("'s", " 's").replace(",", " ,")


def read(name):
    path = os.path.join(ROOT, "training/names", name + ".txt")
    with open(path, encoding="utf-8") as f:
        return [l.strip() for l in f if l.strip() and not l.startswith("#")]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lists", default="org_groups,org_bodies,org_companies,org_more,misc_products")
    ap.add_argument("--multi-word-only", default="", help="lists whose one-word names are left out")
    ap.add_argument("--conll", default=os.path.join(ROOT, "../shared/data/conll2003"))
    ap.add_argument("--out", default=os.path.join(ROOT, "rules/lexicon.tsv"))
    args = ap.parse_args()
    types_of = {}
    for lst, t in TYPES.items():
        for n in read(lst):
            types_of.setdefault(n, set()).add(t)
    chosen = args.lists.split(",")
    multi = set(filter(None, args.multi_word_only.split(",")))
    conll = conll_types(args.conll)
    rows, skipped, other_in_conll, lower_tail = [], [], [], []
    for lst in chosen:
        for n in read(lst):
            if len(types_of[n]) > 1:
                skipped.append(n)
            elif len(n.split()) > 1 and n.split()[-1].isalpha() and n.split()[-1].islower() and TYPES[lst] != "MISC":
                lower_tail.append(n)  # "Congress party": the noun is outside the name
            elif lst in multi and " " not in n:
                continue
            elif conll.get(conll_form(n)) and conll[conll_form(n)].most_common(1)[0][0] != TYPES[lst]:
                other_in_conll.append(n)
            else:
                rows.append((TYPES[lst], n))
    extra = {n for _, n in EXTRA}
    rows = [(t, n) for t, n in rows if n not in extra] + EXTRA
    seen, out = set(), []
    for t, n in rows:
        if n not in seen:
            seen.add(n)
            out.append(f"{t}\t{n}")
    with open(args.out, "w", encoding="utf-8") as f:
        f.write("# newsie's built-in lexicon: TYPE<TAB>name. Written by scripts/make_lexicon.py\n")
        f.write(f"# from training/names/ ({args.lists}) and the script's EXTRA; names listed with two\n")
        f.write("# types, or tagged mostly as another type in CoNLL-2003's eng.train/eng.testa, are left out.\n")
        f.write("\n".join(out) + "\n")
    print(f"{args.out}: {len(out)} names; left out: {len(set(skipped))} listed with two types, "
          f"{len(other_in_conll)} of another type in CoNLL-2003 ({', '.join(other_in_conll)}), "
          f"{len(lower_tail)} ending in a lower-case noun ({', '.join(lower_tail)})")


if __name__ == "__main__":
    main()
