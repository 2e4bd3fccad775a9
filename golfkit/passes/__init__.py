"""The golf passes and the explicit order the pipeline runs them in.

Each pass lives in its own module here and is listed once below; the pipeline takes them in this
order, round after round, until a round saves nothing.
"""

from __future__ import annotations

import importlib

from golfkit.errors import UsageError
from golfkit.passes.base import Edits, Pass, PassContext, Safety

# (pass name, module, class), in pipeline order.
# contract-prune comes first: the trace it relies on is taken of the source as given.
# unroll comes before constants, which then propagates the loop variable it leaves bound.
PIPELINE: tuple[tuple[str, str, str], ...] = (
    ("contract-prune", "contract_prune", "ContractPrunePass"),
    ("main-guard", "main_guard", "MainGuardPass"),
    ("strip", "strip", "StripPass"),
    ("open-fold", "open_fold", "OpenFoldPass"),
    ("dead-code", "dead_code", "DeadCodePass"),
    ("drop-slots", "drop_slots", "DropSlotsPass"),
    ("unroll", "unroll", "UnrollPass"),
    ("constants", "constants", "ConstantsPass"),
    ("inline", "inline", "InlinePass"),
    ("chain-fold", "chain_fold", "ChainFoldPass"),
    ("list-ops", "list_ops", "ListOpsPass"),
    ("loop-comprehension", "loop_comprehension", "LoopComprehensionPass"),
    ("list-splice", "list_splice", "ListSplicePass"),
    ("dict-to-list", "dict_to_list", "DictToListPass"),
    ("operator-alias", "operator_alias", "OperatorAliasPass"),
    ("fixed-defaults", "fixed_defaults", "FixedDefaultsPass"),
    ("lambda-fold", "lambda_fold", "LambdaFoldPass"),
    ("positional-args", "positional_args", "PositionalArgsPass"),
    ("rename", "rename", "RenamePass"),
    ("builtin-alias", "builtin_alias", "BuiltinAliasPass"),
    ("minify", "minifier", "MinifierPass"),
    ("char-unpack", "char_unpack", "CharUnpackPass"),
    ("layout", "layout", "LayoutPass"),
)

PASS_NAMES = tuple(name for name, _, _ in PIPELINE)


def load_pass(name: str) -> Pass:
    for pass_name, module_name, class_name in PIPELINE:
        if pass_name == name:
            try:
                module = importlib.import_module(f"golfkit.passes.{module_name}")
            except ImportError as error:
                raise UsageError(f"pass {name!r} cannot be loaded ({error}); leave it out with --skip {name}") from None
            return getattr(module, class_name)()
    raise UsageError(f"unknown pass {name!r}: choose from {', '.join(PASS_NAMES)}")


def default_pipeline(
    only: tuple[str, ...] | None = None, skip: tuple[str, ...] = (), contract: bool = True
) -> list[Pass]:
    """The ordered passes to run: all, or ``only``, minus ``skip`` and, if off, contract passes."""
    for name in (*(only or ()), *skip):
        if name not in PASS_NAMES:
            raise UsageError(f"unknown pass {name!r}: choose from {', '.join(PASS_NAMES)}")
    chosen = [name for name in PASS_NAMES if (only is None or name in only) and name not in skip]
    passes = [load_pass(name) for name in chosen]
    return [p for p in passes if contract or p.safety is not Safety.CONTRACT]


__all__ = ["Edits", "Pass", "PassContext", "Safety", "PIPELINE", "PASS_NAMES", "load_pass", "default_pipeline"]
