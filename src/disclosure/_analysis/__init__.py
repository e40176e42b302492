"""Stage 5, analysis over versions: comparison of one situation, structural and semantic
diffs, the ruleset checker, the timeline of a family."""
