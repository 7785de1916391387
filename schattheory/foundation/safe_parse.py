r"""Values and expressions given by users, read without evaluating any code.

``sympy.sympify`` and ``parse_expr`` run Python's ``eval`` on a string: a string handed to ``Bound.limit`` or
``Bound.subs`` could run anything. :func:`to_sympy` accepts SymPy objects, Python numbers (ints, floats at their exact
binary value, Fractions) and strings of arithmetic over numbers and *known names* only: the string is parsed by
Python's ``ast`` into a tree whose nodes are checked against a whitelist (numbers, names, ``+ - * / **``,
parentheses) and built into SymPy by hand, never compiled or evaluated.

>>> import sympy as sp
>>> from schattheory.foundation.symbols import p
>>> to_sympy("2*p + 1/3", {"p": p})
2*p + 1/3
>>> to_sympy("oo", {})
oo
>>> to_sympy("__import__('os').system('true')", {})  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
schattheory.foundation.errors.InputError: value=...: only numbers, oo, pi, E and + - * / ** ( ) are accepted (found a
call)
"""

from __future__ import annotations

import ast
from fractions import Fraction
from numbers import Integral, Real

import sympy as sp

from schattheory.foundation.errors import InputError

__all__ = ["to_sympy", "MAX_LENGTH"]

#: longer strings are refused before parsing (a formula a person types is far shorter)
MAX_LENGTH = 1000
_CONSTANTS = {"oo": sp.oo, "inf": sp.oo, "pi": sp.pi, "E": sp.E}
_BINOPS = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
    ast.Pow: lambda a, b: a**b,
}
_NODE_NAMES = {
    ast.Call: "a call",
    ast.Attribute: "an attribute",
    ast.Subscript: "a subscript",
    ast.Lambda: "a lambda",
    ast.Compare: "a comparison",
    ast.BoolOp: "a boolean operator",
}


def to_sympy(value, names: dict, *, argument: str = "value"):
    """``value`` as an exact SymPy object; strings are parsed over ``names`` (name -> symbol) without evaluation."""
    if isinstance(value, sp.Basic):
        return value
    if isinstance(value, bool):
        raise InputError(argument, value, "must be a number or an expression, not a bool")
    if isinstance(value, Integral):
        return sp.Integer(int(value))
    if isinstance(value, Fraction):
        return sp.Rational(value.numerator, value.denominator)
    if isinstance(value, Real):
        f = float(value)
        if f != f:
            raise InputError(argument, value, "must be a number, not NaN")
        return sp.oo if f == float("inf") else -sp.oo if f == float("-inf") else sp.Rational(f)
    if isinstance(value, str):
        return _parse(value, names, argument)
    raise InputError(argument, type(value).__name__, "must be a SymPy expression, a number or a string formula")


def _parse(text: str, names: dict, argument: str):
    if len(text) > MAX_LENGTH:
        raise InputError(argument, text, f"is longer than {MAX_LENGTH} characters")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError:
        raise InputError(argument, text, "is not a formula (numbers, names, + - * / ** and parentheses)") from None
    allowed = ", ".join(sorted(names)[:3]) + (", ..." if len(names) > 3 else "")
    hint = (
        f"only numbers, the names {allowed} of the statement, oo, pi, E and + - * / ** ( ) are accepted"
        if names
        else "only numbers, oo, pi, E and + - * / ** ( ) are accepted"
    )

    def build(node):
        if isinstance(node, ast.Expression):
            return build(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
            return sp.Integer(node.value) if isinstance(node.value, int) else sp.Rational(repr(node.value))
        if isinstance(node, ast.Name):
            if node.id in names:
                return names[node.id]
            if node.id in _CONSTANTS:
                return _CONSTANTS[node.id]
            raise InputError(argument, text, f"{hint} (unknown name {node.id!r})")
        if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
            left, right = build(node.left), build(node.right)
            if isinstance(node.op, ast.Pow) and left.is_number and right.is_number and abs(right) > 10**4:
                raise InputError(
                    argument, text, "an exponent above 10^4 on a number is refused (its value would not fit in memory)"
                )
            return _BINOPS[type(node.op)](left, right)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            inner = build(node.operand)
            return -inner if isinstance(node.op, ast.USub) else inner
        what = _NODE_NAMES.get(type(node), f"a {type(node).__name__}")
        raise InputError(argument, text, f"{hint} (found {what})")

    return build(tree)
