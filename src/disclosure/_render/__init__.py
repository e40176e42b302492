"""Stage 6, rendering: decisions, comparisons, diffs and timelines as text, Markdown, JSON,
HTML and SVG, in French, Dutch or English.

Results never import this stage: each renderer registers itself in
:mod:`disclosure._formats` under a kind of result and a format name, and importing this
package imports every module in it, so a new format is one new module here.
"""

import importlib
import os

# the folder's modules, by file name: cheaper at start-up than pkgutil
for _name in sorted(os.listdir(os.path.dirname(__file__))):
    if _name.endswith(".py") and not _name.startswith("__"):
        importlib.import_module(f"{__name__}.{_name[:-3]}")
