"""The confidentiality rule as plain functions: worked examples, and properties checked
against an attacker who combines every figure shown."""

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from figures.suppression import COMPLEMENT, SMALL, withhold


def tree(**departments):
    """parents for: the organisation "o", departments d<name>, teams t<name> (with counts)."""
    parents, counts = {"o": None}, {}
    for department, teams in departments.items():
        parent, _, name = department.rpartition("__")
        parents[f"d{name}"] = f"d{parent}" if parent else "o"
        for team, count in teams.items():
            parents[f"t{team}"] = f"d{name}"
            counts[f"t{team}"] = count
    return parents, counts


def test_a_lone_answer_and_the_smallest_other_team_are_withheld():
    # The example: teams of 1, 6, 5 and 7 in one department, k = 5.
    parents, counts = tree(a={"1": 1, "6": 6, "5": 5, "7": 7})
    assert withhold(parents, counts, 5) == {"t1": SMALL, "t5": COMPLEMENT}


def test_two_small_teams_together_still_too_few_take_a_third_with_them():
    parents, counts = tree(a={"x": 2, "y": 2, "big": 9, "mid": 6})
    assert withhold(parents, counts, 5) == {"tx": SMALL, "ty": SMALL, "tmid": COMPLEMENT}


def test_two_small_teams_that_together_reach_k_need_nothing_more():
    parents, counts = tree(a={"x": 3, "y": 2, "big": 9})
    assert withhold(parents, counts, 5) == {"tx": SMALL, "ty": SMALL}


def test_a_small_department_is_withheld_and_covered_one_level_up():
    # D1 holds 1 + 2 answers: too few on its own. At the top, D1's 3 answers would follow
    # from the organisation minus D2, so a team of D2 goes too (and D2, which would show it).
    parents, counts = tree(d1={"a": 1, "b": 2}, d2={"c": 5, "d": 6})
    assert withhold(parents, counts, 5) == {
        "dd1": SMALL,
        "ta": SMALL,
        "tb": SMALL,
        "dd2": COMPLEMENT,
        "tc": COMPLEMENT,
    }


def test_what_a_manager_reads_one_by_one_counts_as_shown():
    # Teams A and B (3 each) are too small; together 6 would do, but A's manager knows A's
    # answers and would get B's three from the department total: C goes too.
    parents, counts = tree(d={"A": 3, "B": 3, "C": 10})
    known = [frozenset({"tA"}), frozenset({"tB"}), frozenset({"tC"})]
    assert withhold(parents, counts, 5) == {"tA": SMALL, "tB": SMALL}
    assert withhold(parents, counts, 5, known) == {"tA": SMALL, "tB": SMALL, "tC": COMPLEMENT}


def test_when_nothing_else_can_go_the_group_itself_is_withheld():
    parents, counts = tree(d={"A": 3, "B": 3})
    known = [frozenset({"tA"})]
    # 6 answers, but A's manager would read B's three: the department goes, and so does the
    # organisation, which holds the same answers.
    assert withhold(parents, counts, 5, known) == {
        "tA": SMALL,
        "tB": SMALL,
        "dd": COMPLEMENT,
        "o": COMPLEMENT,
    }


def test_teams_without_answers_are_neither_withheld_nor_counted():
    parents, counts = tree(a={"x": 0, "y": 5, "z": 0})
    assert withhold(parents, counts, 5) == {}


def test_everything_at_or_above_k_is_shown():
    parents, counts = tree(a={"x": 5, "y": 7}, b={"z": 12})
    assert withhold(parents, counts, 5) == {}


# --- Properties ------------------------------------------------------------------------------


@st.composite
def trees(draw):
    """An organisation of up to 3 departments (one maybe nested) with up to 4 teams each."""
    parents, counts = {"o": None}, {}
    for d in range(draw(st.integers(1, 3))):
        parent = "o" if d == 0 or not draw(st.booleans()) else "d0"
        parents[f"d{d}"] = parent
        for t in range(draw(st.integers(1, 3))):
            parents[f"t{d}{t}"] = f"d{d}"
            counts[f"t{d}{t}"] = draw(st.integers(0, 9))
    teams = sorted(counts)
    known = draw(st.lists(st.frozensets(st.sampled_from(teams), max_size=2), max_size=2))
    return parents, counts, draw(st.integers(3, 5)), known


def leaves_under(parents, node):
    below = set()
    for key in parents:
        if key.startswith("t"):
            x = key
            while x is not None:
                if x == node:
                    below.add(key)
                    break
                x = parents[x]
    return frozenset(below)


def derivable_sets(parents, shown, known_teams):
    """Every set of teams whose answers' sum follows from the shown figures (and the teams
    read one by one) by adding and subtracting them: what an attacker can compute."""
    vectors = [leaves_under(parents, x) for x in shown] + [frozenset({t}) for t in known_teams]
    teams = sorted(set().union(*vectors)) if vectors else []
    found = set()
    for coefficients in itertools.product((-1, 0, 1), repeat=len(vectors)):
        total = dict.fromkeys(teams, 0)
        for c, vector in zip(coefficients, vectors, strict=True):
            for t in vector:
                total[t] += c
        if all(v in (0, 1) for v in total.values()):
            found.add(frozenset(t for t, v in total.items() if v == 1))
    return found


@settings(max_examples=150, deadline=None)
@given(trees())
def test_no_combination_of_shown_figures_reveals_fewer_than_k_answers(case):
    parents, counts, k, known = case
    withheld = withhold(parents, counts, k, known)
    total = {x: sum(counts[t] for t in leaves_under(parents, x)) for x in parents}
    assert all(x in withheld for x in parents if 0 < total[x] < k)
    shown = [x for x in parents if x not in withheld and total[x] > 0]
    for knows in [frozenset(), *known]:
        for teams in derivable_sets(parents, shown, knows):
            hidden = teams - knows  # what the attacker learns beyond what they may read
            count = sum(counts[t] for t in hidden)
            assert count == 0 or count >= k, (teams, knows, withheld)


@settings(max_examples=100, deadline=None)
@given(trees(), st.randoms())
def test_the_decision_does_not_depend_on_the_order_of_the_data(case, random):
    parents, counts, k, known = case
    items = list(parents.items())
    random.shuffle(items)
    assert withhold(dict(items), counts, k, known) == withhold(parents, counts, k, known)
