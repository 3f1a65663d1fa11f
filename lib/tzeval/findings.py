"""Results that read as a list of findings: as plain text, as their repr, as an HTML list."""

from __future__ import annotations

from html import escape

from .i18n import DEFAULT_LANGUAGE


def findings_list_html(items: list[str]):
    """The findings as an escaped HTML list in the reports' findings style."""
    from IPython.display import HTML

    listed = "".join(f"<li>{escape(item)}</li>" for item in items)
    return HTML(f'<ul class="tzeval-findings">{listed}</ul>')


class FindingsText:
    """Mixin for results with a ``findings(lang) -> list[str]`` method.

    Dataclasses using it need ``repr=False``, or their generated repr replaces this one.
    """

    def findings(self, lang: str = DEFAULT_LANGUAGE) -> list[str]:
        raise NotImplementedError

    def summary(self, lang: str = DEFAULT_LANGUAGE) -> str:
        """The findings as plain text."""
        return "\n".join(self.findings(lang))

    def __repr__(self) -> str:
        return self.summary("en")

    def findings_html(self, lang: str = DEFAULT_LANGUAGE):
        """The findings as an HTML list (escaped) for reports."""
        return findings_list_html(self.findings(lang))
