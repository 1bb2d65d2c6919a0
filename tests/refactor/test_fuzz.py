"""Property: on generated training programs every refactor answers, and what it changes
compiles, is idempotent and follows the AMP recipe (``judge.py``).

The programs (``programs.py``) hold training loops, models, loaders and attention, so
the transforms are reached, not only the refusals. A fixed set of 300 cases (a program
and one refactor each) runs here, derandomized: the same ones each run;
``python bench/fuzz.py --examples 10000`` runs every refactor on fresh programs and
counts what each one did.
"""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from green_assist.refactor import REFACTORS

from .judge import judge
from .programs import Program, programs

OPTIONS = {"mixed-precision": ({"dtype": "bf16"}, {"dtype": "fp16"}, {})}
VARIANTS = [(name, options) for name in REFACTORS for options in OPTIONS.get(name, ({},))]


@settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(programs(), st.sampled_from(VARIANTS))
def test_refactors_of_generated_programs_are_sound(
    program: Program, variant: tuple[str, dict[str, str]]
) -> None:
    name, options = variant
    outcome = judge(name, program.text, options)
    assert outcome.problem is None, (
        f"{name} {options}: {outcome.problem}\n{outcome.detail}\n--- program:\n{program.text}"
    )
