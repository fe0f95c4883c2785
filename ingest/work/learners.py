"""Activities of a learner who is not the uploading member: each says so when it is stored.

A file may name several learners (an employer's export, a mail-merge list) or one who is not the member
(a colleague's record uploaded by mistake). The mappers mark files of several learners (`several_learners`);
here, where the member is known, an activity whose learner is written as a name or an e-mail address that
is not the member's display name (ingest.store.members) gets `not_the_member`, and the year summary leaves
it out (ingest/year/summary.py). Without a display name nothing can be told apart: all count.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from mappers.activity import Activity, ActivityWarning
from mappers.learner import same_person

__all__ = ["mark_other_learners", "NOT_THE_MEMBER"]

NOT_THE_MEMBER = "not_the_member"


def mark_other_learners(batches: Iterable[Sequence[Activity]], name: str | None) -> Iterator[Sequence[Activity]]:
    """The batches, each activity of another learner than `name` carrying the warning (once)."""
    for batch in batches:
        if name is not None:
            for act in batch:
                if same_person(act.learner, name) is False and not any(w.code == NOT_THE_MEMBER for w in act.warnings):
                    act.warnings.append(ActivityWarning(NOT_THE_MEMBER, "learner", (
                        f"This activity is {act.learner}'s, not yours ({name}, the name on your profile), so it does "
                        "not count in your CPD year. If it is your own learning, correct the name on your profile "
                        "to the one the file uses.")))
        yield batch
