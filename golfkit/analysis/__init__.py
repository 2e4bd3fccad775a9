"""Program analysis shared by the passes and the renamer.

- ``syntax``: parsing, printing a node, names, literals, block shapes;
- ``printer``: the compact printer and the never-longer rule;
- ``observers``: every way a program can see or reach its own names (the one policy);
- ``vocabulary``: which words a program spells, and what they let it observe;
- ``children``: a node's children in libcst's order, and read-only walks without libcst's copies;
- ``facts``: ProgramFacts (metadata, bindings, census), shared per text through ``facts_for``;
- ``order``: order of evaluation, atoms, and who can see a variable while an expression moves;
- ``purity``, ``values``, ``spelling``: side effects, constant values, shortest spellings;
- ``removal``: statement removal that keeps blocks valid;
- ``patterns``: names in ``match`` patterns, which libcst's scopes misread;
- ``inputs``: where a program reads stdin, its arguments or the environment (builds ask it).

Every answer errs on the side of "no": a pass that is told no leaves the program as it is.
"""

from golfkit.analysis.children import child_nodes, visit_read_only
from golfkit.analysis.facts import ProgramFacts, facts_for, program_facts
from golfkit.analysis.inputs import InputRead, input_reads
from golfkit.analysis.observers import (
    ANNOTATION_EVALUATORS,
    ANNOTATION_READERS,
    ATTRIBUTE_BY_STRING,
    BUILTINS_MODULES,
    CLASS_NAME_ATTRIBUTES,
    CLASS_NAME_BUILTINS,
    DOC_READERS,
    ESCAPE_ATTRIBUTES,
    ESCAPE_MODULES,
    FRAME_READERS,
    FUNCTION_NAME_READERS,
    GLOBAL_WRITERS,
    MODULE_READERS,
    NAME_MODULES,
    SCOPE_BY_STRING,
    DynamicUse,
    dynamic_use,
    reaches_values_without_names,
    reads_own_module,
)
from golfkit.analysis.order import (
    CONTAINER_TYPES,
    container_type,
    finalizers_observable,
    guarded,
    inside_fstring,
    is_atom,
    iterated_once,
    owned_by_scope,
    runs_inline,
    siblings_before,
)
from golfkit.analysis.printer import compact_code, compact_length
from golfkit.analysis.purity import NOISY_MODULES, READ_ONLY_CALLS, UNMOVABLE, inert_statement, stdlib_module
from golfkit.analysis.removal import StatementRemover
from golfkit.analysis.spelling import (
    ADD,
    AND,
    ATOM,
    AWAIT,
    BITAND,
    BITOR,
    BITXOR,
    COMPARE,
    IFEXP,
    LAMBDA,
    MUL,
    NAMED,
    NOT,
    OR,
    POWER,
    SHIFT,
    TUPLE,
    UNARY,
    Spelling,
    display_separators,
    fit,
    fstring_safe,
    glued_follower,
    parens_needed,
    precedence,
    quoted_literal,
    required_precedence,
    shortest_float,
    shortest_imaginary,
    shortest_integer,
    shortest_string,
    spell,
)
from golfkit.analysis.syntax import (
    BLOCKS,
    COMPREHENSIONS,
    LITERALS,
    FlattenBlocks,
    assigned_targets,
    binds_one_name,
    block_lines,
    code,
    dotted_name,
    exits_loop,
    find_nodes,
    index_of,
    is_dunder,
    is_literal,
    lambda_parameters,
    mentions_name,
    parse,
    variable_names,
    walk,
    with_semicolons,
    zero_statement,
)
from golfkit.analysis.values import (
    BINARY_SYMBOLS,
    KEY_TYPES,
    MAX_INT_BITS,
    MAX_TEXT,
    NOT_CONSTANT,
    SCALARS,
    constant_key,
    distinct_keys,
    fold_binary,
    fold_unary,
    int_literal,
    literal_text,
    name_bound_to_text,
)
from golfkit.analysis.vocabulary import Vocabulary
