"""Benchmark: build the symbolic form of generated rulesets and diff two versions.

Rulesets are generated in the law's shape: a prohibition by default, families of
exceptions keyed on a few "who asks / how" facts, exceptions to exceptions in override
chains up to four deep, conditions of 2 to 6 fact tests. Version b is version a with about
10% of its rules changed, added or removed. For each size the script times building both
diagrams and the semantic diff (regions and totals) and prints a table.

    python tests/benchmarks/bench_diff_synthetic.py            # the full table
    python tests/benchmarks/bench_diff_synthetic.py --quick    # small sizes only
    python tests/benchmarks/bench_diff_synthetic.py --order vocabulary   # or heuristic

The point: time grows with the number of rules and facts, the size of the diagrams and
the number of regions (the size of the answer), not with the number of situations, which
goes from about 10^11 to 10^43 here. The regions are a sum of products: where an amendment
meets rules with many exceptions (each negated condition a disjunction), an exact, minimal
cover can need thousands of regions, and the diff time follows that count.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import random
import time
from collections.abc import Sequence

import attrs

from disclosure._analysis.regions import semantic_diff
from disclosure._engines.symbolic import build_outcome, choose_order, suggest_order
from disclosure.ir import (
    TRUE,
    All,
    Any_,
    Citation,
    Condition,
    Fact,
    FactTest,
    Impossible,
    Not,
    Outcome,
    Rule,
    Text,
    Vocabulary,
)

TEXT = Text.same("synthetic")
SOURCE = Citation(act="Synthetic act", article="1", date=dt.date(2000, 1, 1))
KEYS = 3  # facts that key the families of exceptions (like channel, authority)


def make_vocabulary(rnd: random.Random, count: int) -> Vocabulary:
    facts = []
    for i in range(count):
        size = 5 if i < KEYS else rnd.randint(2, 5)
        if size == 2 and rnd.random() < 0.5:
            facts.append(Fact(f"f{i:02d}", "bool", (False, True), TEXT))
        else:
            facts.append(Fact(f"f{i:02d}", "enum", tuple(f"v{j}" for j in range(size)), TEXT))
    impossible = []
    for i in range(max(1, count // 10)):
        a, b = rnd.sample(facts, 2)
        impossible.append(
            Impossible(
                f"imp{i}",
                All(
                    [
                        FactTest(a.name, {rnd.choice(a.values)}),
                        FactTest(b.name, {rnd.choice(b.values)}),
                    ]
                ),
                TEXT,
            )
        )
    return Vocabulary(tuple(facts), tuple(impossible))


def random_test(rnd: random.Random, fact: Fact) -> Condition:
    values = rnd.sample(fact.values, rnd.randint(1, len(fact.values) - 1))
    test: Condition = FactTest(fact.name, frozenset(values))
    roll = rnd.random()
    if roll < 0.05:
        return Not(test)
    return test


def random_condition(
    rnd: random.Random, facts: Sequence[Fact], required: Sequence[Condition], tests: int
) -> Condition:
    items = list(required)
    others = rnd.sample(facts, min(len(facts), tests))
    for fact in others:
        if len(items) >= tests:
            break
        if rnd.random() < 0.1 and len(items) + 2 <= tests:
            other = rnd.choice(facts)
            items.append(Any_([random_test(rnd, fact), random_test(rnd, other)]))
        else:
            items.append(random_test(rnd, fact))
    return All(items)


def opposite(rnd: random.Random, conclusion: Outcome) -> Outcome:
    if conclusion is Outcome.FORBIDDEN:
        return rnd.choice([Outcome.PERMITTED, Outcome.OBLIGED, Outcome.NOT_APPLICABLE])
    return Outcome.FORBIDDEN


@attrs.define
class Generator:
    """Families of exceptions, each keyed on its own combination of values of the key
    facts (so families do not overlap, as the law's regimes mostly do not); inside a
    family, a later exception overrides every earlier rule of the family that concludes
    differently (so a family has no conflict)."""

    rnd: random.Random
    vocabulary: Vocabulary
    counter: int = 0
    family: dict[str, int] = attrs.field(factory=dict)
    keys: dict[int, tuple[FactTest, ...]] = attrs.field(factory=dict)

    def new_id(self) -> str:
        self.counter += 1
        return f"r{self.counter:04d}"

    def family_head(self, number: int) -> Rule:
        facts = self.vocabulary.facts
        key_facts = facts[:KEYS]
        combos = math.prod(len(f.values) for f in key_facts)
        index = (number * 7919) % combos
        keys = []
        for fact in key_facts:
            index, position = divmod(index, len(fact.values))
            keys.append(FactTest(fact.name, {fact.values[position]}))
        self.keys[number] = tuple(keys)
        when = random_condition(self.rnd, facts[KEYS:], keys, self.rnd.randint(KEYS, 5))
        rule = Rule(
            id=self.new_id(),
            summary=TEXT,
            source=SOURCE,
            when=when,
            conclusion=self.rnd.choice([Outcome.PERMITTED, Outcome.OBLIGED]),
            overrides=("secret",),
        )
        self.family[rule.id] = number
        return rule

    def exception(self, rules: list[Rule], depth: dict[str, int]) -> Rule:
        candidates = [r for r in rules if r.id in self.family and depth.get(r.id, 1) < 4]
        parent = self.rnd.choice(candidates)
        number = self.family[parent.id]
        conclusion = opposite(self.rnd, parent.conclusion)
        overridden = [
            r.id
            for r in rules
            if (self.family.get(r.id) == number or r.id == "secret")
            and r.conclusion is not conclusion
        ]
        when = random_condition(
            self.rnd, self.vocabulary.facts[KEYS:], self.keys[number], self.rnd.randint(KEYS, 6)
        )
        rule = Rule(
            id=self.new_id(),
            summary=TEXT,
            source=SOURCE,
            when=when,
            conclusion=conclusion,
            overrides=tuple(overridden),
        )
        self.family[rule.id] = number
        depth[rule.id] = depth.get(parent.id, 1) + 1
        return rule

    def ruleset(self, count: int) -> list[Rule]:
        rules = [
            Rule(id="secret", summary=TEXT, source=SOURCE, when=TRUE, conclusion=Outcome.FORBIDDEN)
        ]
        depth: dict[str, int] = {}
        for number in range(max(2, count // 6)):
            rules.append(self.family_head(number))
        while len(rules) < count:
            rules.append(self.exception(rules, depth))
        return rules

    def amend(self, rules: list[Rule], share: float = 0.1) -> list[Rule]:
        """About ``share`` of the rules changed, added or removed (a third each)."""
        result = list(rules)
        depth: dict[str, int] = {}
        changes = max(3, round(len(rules) * share))
        for i in range(changes):
            kind = i % 3
            index = self.rnd.randrange(1, len(result))
            if kind == 0:  # change a condition: one test (not a key) gets other values
                old = result[index]
                items = list(_items(old.when))
                position = self.rnd.randrange(KEYS, len(items)) if len(items) > KEYS else None
                test = items[position] if position is not None else None
                if position is not None and isinstance(test, FactTest):
                    items[position] = random_test(self.rnd, self.vocabulary[test.fact])
                    result[index] = attrs.evolve(old, when=All(items))
            elif kind == 1:  # repeal
                del result[index]
            else:  # a new exception
                result.append(self.exception(result, depth))
        return result


def _items(condition: Condition) -> tuple[Condition, ...]:
    return condition.items if isinstance(condition, All) else (condition,)


def run(facts: int, rules: int, seed: int, order_kind: str) -> dict[str, float | int | str]:
    rnd = random.Random(seed * 1_000_003 + facts * 1000 + rules)
    vocabulary = make_vocabulary(rnd, facts)
    generator = Generator(rnd, vocabulary)
    rules_a = generator.ruleset(rules)
    rules_b = generator.amend(rules_a)
    chosen = time.perf_counter()
    if order_kind == "choose":
        order: tuple[str, ...] | None = choose_order(vocabulary, rules_a)
    elif order_kind == "heuristic":
        order = suggest_order(vocabulary, [*rules_a, *rules_b])
    else:
        order = None
    start = time.perf_counter()
    a = build_outcome(vocabulary, rules_a, order=order)
    b = build_outcome(vocabulary, rules_b, order=order)
    built = time.perf_counter()
    diff = semantic_diff(a, b)
    done = time.perf_counter()
    return {
        "facts": facts,
        "rules": rules,
        "log10 situations": f"{math.log10(vocabulary.raw_size):.1f}",
        "nodes a": a.node_count,
        "nodes b": b.node_count,
        "pairs": len(diff.totals),
        "regions": len(diff.regions),
        "log10 changed": f"{math.log10(diff.changed):.1f}" if diff.changed else "-",
        "order s": f"{start - chosen:.2f}",
        "build s": f"{built - start:.2f}",
        "diff s": f"{done - built:.2f}",
        "ms/region": f"{1000 * (done - built) / len(diff.regions):.1f}" if diff.regions else "-",
        "total s": f"{done - start:.2f}",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes only")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--order",
        choices=["choose", "heuristic", "vocabulary"],
        default="choose",
        help="variable order: the best of a few candidates (choose_order), suggest_order, "
        "or the vocabulary's",
    )
    args = parser.parse_args()
    facts_sizes = (20, 40) if args.quick else (20, 40, 80)
    rule_sizes = (50, 100) if args.quick else (50, 100, 200, 500)
    rows = []
    for facts in facts_sizes:
        for rules in rule_sizes:
            row = run(facts, rules, args.seed, args.order)
            rows.append(row)
            print("  ".join(f"{k}={v}" for k, v in row.items()), flush=True)
    headers = list(rows[0])
    widths = [max(len(h), *(len(str(r[h])) for r in rows)) for h in headers]
    print()
    print("| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        print(
            "| "
            + " | ".join(str(row[h]).rjust(w) for h, w in zip(headers, widths, strict=True))
            + " |"
        )


if __name__ == "__main__":
    main()
