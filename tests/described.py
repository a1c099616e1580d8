"""Whether a page's refusals are tied to the fields they concern, as screen readers need them."""

from __future__ import annotations

import re


def unlinked_errors(page: str) -> list[str]:
    """Every field marked invalid that describes itself by nothing, and every description that names an
    element the page does not have; empty when every error is linked to its field."""
    ids = set(re.findall(r'\bid="([^"]+)"', page))
    problems = []
    # Choices (radio buttons, check boxes) are described together, by the fieldset that holds them.
    described_groups = r'<fieldset[^>]*aria-describedby="[^"]+"[^>]*>.*?</fieldset>'
    checked = re.sub(
        described_groups,
        lambda group: re.sub(r'<input type="(?:radio|checkbox)"[^>]*>', "", group.group(0)),
        page,
        flags=re.S,
    )
    for tag in re.findall(r"<(?:input|textarea|select|fieldset)\b[^>]*>", checked):
        described = re.search(r'aria-describedby="([^"]*)"', tag)
        names = described.group(1).split() if described else []
        if 'aria-invalid="true"' in tag and not names:
            problems.append(f"invalid but described by nothing: {tag}")
        problems += [
            f"describedby {name!r}, which is not on the page: {tag}" for name in names if name not in ids
        ]
    return problems
