"""R ``did`` argument names (``yname``, ``tname``, ``idname``) for every panel estimator.

The single-treated-unit estimators keep the column arguments of their reference packages
(``unit``, ``time``, ``outcome``, as ``synthdid::panel.matrices`` and ``Synth``), which is
what their users know. So that one vocabulary works across the workbook, they also accept
R ``did``'s names as keywords: ``synthetic_did(data, idname="state", tname="year",
yname="cigsale", treated="treated")``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

DID_NAMES = {"idname": "unit", "tname": "time", "yname": "outcome"}


def accepts_did_names(function: Callable) -> Callable:
    """Let ``function`` take ``idname``/``tname``/``yname`` for ``unit``/``time``/``outcome``.

    Giving both names of one argument is an error, even with the same value, so that a
    call never reads two ways.
    """

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        for did_name, own_name in DID_NAMES.items():
            if did_name not in kwargs:
                continue
            if own_name in kwargs:
                raise TypeError(
                    f"{function.__name__}() got both {own_name}= and {did_name}=; they name "
                    "the same column, give one of them"
                )
            kwargs[own_name] = kwargs.pop(did_name)
        return function(*args, **kwargs)

    return wrapper
