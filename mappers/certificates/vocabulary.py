"""The certificate vocabulary (mappers/data/certificates.yaml), folded and loaded once per process."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

from ..datafiles import load_yaml
from ..headers import fold

__all__ = ["Vocabulary", "vocabulary", "fold"]


@dataclass(frozen=True, slots=True)
class Vocabulary:
    labels: dict[str, str]                 # folded label -> field
    longest_label: int                     # words in the longest label
    document_types: frozenset[str]
    not_learning_anywhere: tuple[str, ...]
    not_learning_kinds: frozenset[str]
    unless_completed: frozenset[str]
    delivery_types: dict[str, str]
    placeholder_names: frozenset[str]
    signatory_titles: frozenset[str]
    organisation_words: frozenset[str]

    def label_at_start(self, folded: str) -> tuple[str, str] | None:
        """(field, label) for the longest label the folded text begins with, word for word."""
        words = folded.split()
        for n in range(min(len(words), self.longest_label), 0, -1):
            label = " ".join(words[:n])
            if label in self.labels:
                return self.labels[label], label
        return None


@cache
def vocabulary() -> Vocabulary:
    raw = load_yaml(resources.files("mappers").joinpath("data/certificates.yaml").read_text("utf-8"))
    labels = {fold(label): name for name, items in raw["labels"].items() for label in items}
    return Vocabulary(
        labels=labels,
        longest_label=max(len(label.split()) for label in labels),
        document_types=frozenset(fold(t) for t in raw["document_types"]),
        not_learning_anywhere=tuple(fold(t) for t in raw["not_learning"]["anywhere"]),
        not_learning_kinds=frozenset(fold(t) for t in raw["not_learning"]["kinds"]),
        unless_completed=frozenset(fold(t) for t in raw["not_learning"]["unless_completed"]),
        delivery_types={fold(k): v for k, v in raw["delivery_types"].items()},
        placeholder_names=frozenset(fold(t) for t in raw["placeholder_names"]),
        signatory_titles=frozenset(fold(t) for t in raw["signatory_titles"]),
        organisation_words=frozenset(fold(t) for t in raw["organisation_words"]),
    )
