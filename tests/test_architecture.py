"""The package's shape, held as tests: the layers of the pipeline (the import-linter
contract, run here as in CI), no import cycle (imports inside functions count), no private
name taken across a stage folder, and the picture of the stages on the architecture page
drawn from the code."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from architecture import (
    PAGE,
    cycles,
    graph,
    layers,
    modules,
    page_block,
    private_names_taken,
    stage_of,
)


def test_no_import_cycle() -> None:
    assert cycles(graph()) == []


def test_no_private_name_is_taken_across_a_stage_folder() -> None:
    all_layers = layers()
    across = [
        (importer, module, name)
        for importer, module, name in private_names_taken()
        if stage_of(importer, all_layers) != stage_of(module, all_layers)
    ]
    assert across == []


def test_every_module_belongs_to_a_layer() -> None:
    all_layers = layers()
    loose = [name for name in modules() if name != "disclosure" and not stage_of(name, all_layers)]
    assert loose == []


def test_the_layers_contract_is_kept() -> None:
    linter = shutil.which("lint-imports") or str(
        __import__("pathlib").Path(sys.executable).with_name("lint-imports")
    )
    result = subprocess.run([linter], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def test_the_architecture_page_shows_the_stages_as_the_code_has_them() -> None:
    text = PAGE.read_text("utf-8")
    assert page_block() in text, "run: python tests/architecture.py --write"


@pytest.mark.parametrize("stage", ["_ir", "_load", "_engines", "_decide", "_analysis", "_render"])
def test_a_stage_never_imports_the_command_line_or_the_public_face(stage: str) -> None:
    edges = graph()
    upward = {
        (module, target)
        for module, targets in edges.items()
        if module.startswith(f"disclosure.{stage}")
        for target in targets
        if target in ("disclosure", "disclosure._api", "disclosure.cli")
        or target.startswith("disclosure._cli")
    }
    assert upward == set()


def test_importing_the_library_does_not_import_the_yaml_and_schema_machinery() -> None:
    """Start-up stays short: the loader (ruamel.yaml, jsonschema) is imported when a
    ruleset or scenario file is first read, not by ``import disclosure``."""
    code = (
        "import sys, disclosure, disclosure.ir, disclosure.strategies\n"
        "heavy = [m for m in ('ruamel.yaml', 'jsonschema', 'disclosure._load.loader') "
        "if m in sys.modules]\n"
        "print(','.join(heavy))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
