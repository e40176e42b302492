"""Stage 6, rendering: decisions, comparisons, diffs and timelines as text, Markdown, JSON,
HTML and SVG, in French, Dutch or English.

Results never import this stage: each renderer registers itself in
:mod:`disclosure._formats` under a kind of result and a format name, and importing this
package imports every module in it, so a new format is one new module here.
"""

import importlib
import pkgutil

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")
