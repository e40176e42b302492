"""Stage 6, rendering: decisions, comparisons, diffs and timelines as text, Markdown, JSON,
HTML and SVG, in French, Dutch or English. Results never import this stage."""
