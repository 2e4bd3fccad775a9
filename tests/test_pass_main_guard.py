"""main-guard (contract): before/after pairs that must print the same, and the guards left alone."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from golfkit.passes.base import Edits, PassContext
from golfkit.passes.main_guard import MainGuardPass
from tests.support import PassTest, assert_same_behaviour, dedent

PASS = MainGuardPass()


class TestMainGuard(PassTest):
    golf_pass = PASS

    def test_guard_gives_way_to_its_body(self):
        self.assert_rewrite(
            """
            import random
            def main(n):
                return [random.random() for _ in range(n)]
            # run it
            if __name__ == "__main__":
                random.seed(1)
                print(main(2))
            """,
            """
            import random
            def main(n):
                return [random.random() for _ in range(n)]
            # run it
            random.seed(1)
            print(main(2))
            """,
        )

    def test_every_spelling_of_the_test(self):
        self.assert_rewrite(
            """
            if '__main__' == __name__:
                print(1)
            if (__name__ == '__main__'):
                for i in range(2):
                    print(i)
            if __name__=="__main__": print(3); print(4);
            """,
            """
            print(1)
            for i in range(2):
                print(i)
            print(3); print(4)
            """,
        )

    def test_function_attributes_named_name_do_not_count(self):
        self.assert_rewrite(
            """
            def f():
                return f.__name__
            if __name__ == "__main__":
                print(f())
            """,
            """
            def f():
                return f.__name__
            print(f())
            """,
        )

    @pytest.mark.parametrize(
        "program",
        [
            pytest.param(
                """
                if __name__ == "__main__":
                    print("main")
                else:
                    print("imported")
                """,
                id="with-else",
            ),
            pytest.param(
                """
                if __name__ == "__main__":
                    print("main")
                elif __name__ == "other":
                    print("other")
                """,
                id="with-elif",
            ),
            pytest.param(
                """
                print(__name__)
                if __name__ == "__main__":
                    print("main")
                """,
                id="name-read-elsewhere",
            ),
            pytest.param(
                """
                __name__ = "renamed"
                if __name__ == "__main__":
                    print("main")
                """,
                id="name-rebound",
            ),
            pytest.param(
                """
                def run():
                    if __name__ == "__main__":
                        print("main")
                run()
                """,
                id="inside-a-function",
            ),
            pytest.param(
                """
                if True:
                    if __name__ == "__main__":
                        print("main")
                """,
                id="nested-in-a-block",
            ),
            pytest.param(
                """
                if __name__ != "__main__":
                    print("imported")
                if __name__ == "__main__" and len("ab") == 2:
                    print("main")
                if __name__ == "main":
                    print("never")
                """,
                id="other-tests",
            ),
            pytest.param(
                """
                if __name__ == "__main__":
                    "would become the docstring"
                    print(__doc__)
                """,
                id="docstring-promotion",
            ),
        ],
    )
    def test_no_op(self, program):
        self.assert_noop(program)

    @pytest.mark.parametrize(
        "program, reason",
        [
            pytest.param(
                """
                if __name__ == "__main__":
                    print(eval("1 + 1"))
                """,
                "reaches names through strings",
                id="strings",
            ),
            pytest.param(
                """
                import multiprocessing
                def square(x):
                    return x * x
                if __name__ == "__main__":
                    print(square(3), multiprocessing.cpu_count() > 0)
                """,
                "import the main module again",
                id="multiprocessing",
            ),
        ],
    )
    def test_declined(self, program, reason):
        self.assert_noop(program, reason=reason)

    def test_contract_off_declines(self):
        self.assert_noop(
            'if __name__ == "__main__":\n    print(1)\n',
            reason="contract rewrites are off",
            context=PassContext(contract=False),
        )

    def test_a_guard_whose_body_never_ran_stays(self):
        source = 'print(0)\nif __name__ == "__main__":\n    print(1)\n'
        assert PASS.run(source, PassContext(executed_lines=frozenset({1}))) == source
        assert PASS.run(source, PassContext(executed_lines=frozenset({1, 2, 3}))) == "print(0)\nprint(1)\n"


def test_sites_are_numbered_in_source_order():
    source = dedent(
        """
        if __name__ == "__main__":
            print(1)
        if __name__ == '__main__':
            print(2)
        """
    )
    second = PASS.apply(source, PassContext(), Edits({1}))
    assert second == source.replace("if __name__ == '__main__':\n    print(2)", "print(2)")
    assert_same_behaviour(source, second)


STATEMENTS = ["print(1)", "x = 2", "print(x if 'x' in dir() else 0)", "def g():\n    return 3", "print(g())"]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    before=st.lists(st.sampled_from(STATEMENTS), max_size=3),
    guarded=st.lists(st.sampled_from(STATEMENTS), min_size=1, max_size=4),
    spelling=st.sampled_from(['__name__ == "__main__"', "'__main__' == __name__", "(__name__=='__main__')"]),
)
def test_property_guarded_programs_print_the_same(before, guarded, spelling):
    lines = ["def g():\n    return 0", *before, f"if {spelling}:"]
    lines += ["\n".join("    " + line for line in statement.split("\n")) for statement in guarded]
    source = "\n".join(lines) + "\n"
    output = PASS.run(source)
    assert "__main__" not in output
    compile(output, "<after>", "exec")
    assert_same_behaviour(source, output)
