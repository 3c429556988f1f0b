#!/usr/bin/python3
"""The netfilter middlebox model against what the real kernel did: tests/middlebox/measured-middlebox.json (written
by run_middlebox.py, which needs root) against `ftpsim run` with the model on the route (compare.py), which
needs neither root nor a network. Renders docs/validation-middleboxes.md and fails when
  - a part (PORT reply, data command, session) disagrees and no rule of KNOWN_DISAGREEMENTS covers it,
  - a rule covers no disagreement any more (the list must shrink with the model's fixes),
  - the committed document differs from this run's (--write rewrites it).

Usage: compare_middlebox.py --ftpsim BUILD/ftpsim --work BUILD/middlebox-model --doc docs/validation-middleboxes.md
                            [--write]"""

import argparse
import json
import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import compare  # noqa: E402
import middlebox_doc  # noqa: E402

# What the model gets wrong, as rules: (why, which cases: a test on the configuration and the case, parts).
# A disagreement that no rule covers fails the test, and so does a rule that covers no disagreement (the list
# must shrink as the model is fixed). Each "why" says what the kernel does.
KNOWN_DISAGREEMENTS = []


def known(config, case):
    """{part: rule index} of the rules that cover this case."""
    covered = {}
    for index, (_, test, parts) in enumerate(KNOWN_DISAGREEMENTS):
        if test(config, case):
            for part in parts:
                covered.setdefault(part, index)
    return covered


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ftpsim", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--doc", required=True)
    parser.add_argument("--measured", default=os.path.join(HERE, "measured-middlebox.json"))
    parser.add_argument("--write", action="store_true", help="rewrite --doc from this run")
    args = parser.parse_args()
    work = os.path.abspath(args.work)
    os.makedirs(work, exist_ok=True)
    with open(args.measured) as f:
        measured = json.load(f)["configurations"]

    results, failures, used = [], [], set()
    cases = {}
    for config in measured:
        for case in config.get("cases", []):
            cases[(middlebox_doc.config_title(config), case["case"])] = case
    for config in measured:
        title = middlebox_doc.config_title(config)
        if "skipped" in config:
            results.append({"config": config, "title": title, "rows": []})
            continue
        slug = title.replace(" ", "_").replace(",", "").replace("(", "").replace(")", "").replace("=", "")
        try:
            rows = compare.compare_config(os.path.abspath(args.ftpsim), os.path.join(work, slug), config)
        except compare.CompareError as e:
            failures.append(f"{title}: {e}")
            continue
        for row in rows:
            covered = known(config, cases.get((title, row["case"]), {}))
            for part, agree in row.get("agree", {}).items():
                if agree:
                    continue
                if part in covered:
                    used.add(covered[part])
                    row.setdefault("known", {})[part] = covered[part] + 1
                else:
                    failures.append(f"{title}: {row['case']}: {part}: kernel {_part(row['measured'], part)}, "
                                    f"model {_part(row['model'], part)}")
        results.append({"config": config, "title": title, "rows": rows})
    for index in sorted(set(range(len(KNOWN_DISAGREEMENTS))) - used):
        failures.append(f"KNOWN_DISAGREEMENTS[{index}] covers no disagreement any more (the model was fixed?): "
                        f"remove it: {KNOWN_DISAGREEMENTS[index][0]}")

    document = middlebox_doc.render_validation(results, [why for why, _, _ in KNOWN_DISAGREEMENTS])
    with open(os.path.join(work, "validation-middleboxes.md"), "w") as f:
        f.write(document)
    if args.write:
        with open(args.doc, "w") as f:
            f.write(document)
        print(f"wrote {args.doc}")
    elif not os.path.exists(args.doc) or open(args.doc).read() != document:
        failures.append(f"{args.doc} differs from this run's comparison ({work}/validation-middleboxes.md): diff "
                        "them; if the change is meant, rewrite it with --write and commit it")
    print(middlebox_doc.summary(results))
    if failures:
        print(f"\nmiddlebox model: {len(failures)} failure(s):", file=sys.stderr)
        for failure in failures:
            print(f"  {failure}", file=sys.stderr)
        return 1
    print("middlebox model: every part agrees with the kernel" +
          (", but for the listed known disagreements" if KNOWN_DISAGREEMENTS else ""))
    return 0


def _part(parts, part):
    if part == "steps":
        return "; ".join(f"{ports}: {p['port_reply']} / {p['data']} / {p['session']}" for ports, p in parts)
    return parts[part]


if __name__ == "__main__":
    sys.exit(main())
