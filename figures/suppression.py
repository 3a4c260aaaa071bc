"""Which figures are withheld: the confidentiality rule of PRODUCT.md as plain functions.

The groups of a round form a tree: the organisation, its departments at every depth, and
their teams as the leaves. For one figure (a perspective and a measure, e.g. the managers'
mean on one behaviour) every team rests on a number of answers; a department rests on the
answers of the teams below it.

A figure over others' answers is shown only when it rests on at least `k` answers and nothing
smaller follows from all that is shown: for every shown group, the answers in it that are
not in a shown group below it number 0 or at least `k`. Where that does not hold, more groups
are withheld ("complementary" suppression), the smallest first; where nothing below can be
withheld any more, the group itself is.

`known` lists sets of teams whose answers one viewer may read one by one (in a development
round, the teams a manager rates). For such a viewer, those answers are as good as shown, so
the rule must also hold with them taken away.

No database and no Django here, so that the rule can be read beside the specification and
tested exhaustively.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from typing import Literal

SMALL: Literal["small"] = "small"  # rests on fewer than k answers
COMPLEMENT: Literal["complement"] = "complement"  # would let a smaller group be worked out

Reason = Literal["small", "complement"]


def safe(count: int, k: int) -> bool:
    """A number of answers that may stand on its own: none at all, or at least k."""
    return count == 0 or count >= k


def withhold[K: Hashable](
    parents: Mapping[K, K | None],
    counts: Mapping[K, int],
    k: int,
    known: Iterable[frozenset[K]] = (),
) -> dict[K, Reason]:
    """The groups to withhold, and why.

    `parents` maps every group to the group it is part of (None for the root); `counts` gives
    the number of answers of every leaf (a team). Groups are processed from the leaves up, so
    that one pass decides everything: withholding below a group never breaks a decision
    taken above it, because that is taken later.
    """
    known = list({frozenset(team_set) for team_set in known if team_set})
    # For each team, the sets of known teams it is in: only those matter below a group.
    known_by_team: dict[K, list[int]] = {}
    for index, team_set in enumerate(known):
        for team in team_set:
            known_by_team.setdefault(team, []).append(index)
    children: dict[K, list[K]] = {key: [] for key in parents}
    for key, parent in parents.items():
        if parent is not None:
            children[parent].append(key)
    for key in children:
        children[key].sort(key=lambda c: _order(c))

    depth: dict[K, int] = {}
    for key in parents:
        chain, node = 0, key
        while parents[node] is not None:
            node, chain = parents[node], chain + 1
        depth[key] = chain

    total: dict[K, int] = {}
    for key in sorted(parents, key=lambda x: -depth[x]):
        total[key] = (
            counts.get(key, 0) if not children[key] else sum(total[c] for c in children[key])
        )

    withheld: dict[K, Reason] = {key: SMALL for key in parents if 0 < total[key] < k}

    def uncovered(node: K) -> list[K]:
        """The teams below `node` whose answers no shown group below it covers."""
        found: list[K] = []
        for child in children[node]:
            if child in withheld:
                found.extend(uncovered(child) if children[child] else [child])
        return found

    def violates(node: K) -> bool:
        teams = uncovered(node)
        rest = sum(total[t] for t in teams)
        if not safe(rest, k):
            return True
        read: dict[int, int] = {}  # per set of known teams: how many of the rest it reads
        for team in teams:
            for index in known_by_team.get(team, ()):
                read[index] = read.get(index, 0) + total[team]
        return any(not safe(rest - count, k) for count in read.values())

    def next_to_withhold(node: K) -> list[K]:
        """A path of shown groups below `node`, ending in a team, whose withholding uncovers
        answers at `node`: the smallest first, then inside groups already withheld. Empty
        when nothing is left to withhold."""
        by_size = sorted(children[node], key=lambda c: (total[c], _order(c)))
        for child in by_size:
            if child in withheld or total[child] == 0:
                continue
            if not children[child] or uncovered(child):
                return [child]  # a team, or a group whose withholding uncovers its own rest
            deeper = next_to_withhold(child)
            if deeper:
                return [child, *deeper]
        for child in by_size:
            if child in withheld and children[child]:
                deeper = next_to_withhold(child)
                if deeper:
                    return deeper
        return []

    for node in sorted(parents, key=lambda x: (-depth[x], _order(x))):
        if not children[node] or node in withheld:
            continue
        before = dict(withheld)
        while violates(node):
            path = next_to_withhold(node)
            if not path:
                # Nothing below can make it safe: the group itself goes, and what was
                # withheld below for its sake is shown again.
                withheld.clear()
                withheld.update(before)
                withheld[node] = COMPLEMENT
                break
            for key in path:
                withheld[key] = COMPLEMENT
    return withheld


def _order(key) -> tuple[str, str]:
    """A stable order for keys of any type, so that the same data gives the same decision."""
    return (type(key).__name__, str(key))
