"""The mutations of golfkit's search stage, one module per family.

- ``base``: the template (sites that compile, batches that stay valid, expressions put in place);
- ``deletions``: a statement, a call argument, a keyword argument, a default, parentheses;
- ``branches``: an ``if``/``elif`` test or branch, an ``else``;
- ``subexpressions``: an expression replaced by one of its parts;
- ``operators``, ``spellings``, ``lambdas``, ``lines``: golf forms (augmented assignment,
  negations, ``~-n``, chained comparisons, conditionals as indexes, numbers, displays, ``+=`` for
  ``append``, lambdas, ``;`` lines, statement order);
- ``strings``: a word-like string used as a name renamed, every literal of it together;
- ``characters``: blind edits of single characters.

A mutation module imports only ``base``, ``golfkit.analysis``, the pass template and libraries.
"""
