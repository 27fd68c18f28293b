"""Exact numbers as Chinese documents state them.

``parse_number`` reads one number (Arabic, full-width, Chinese, mixed, with 万/亿);
``find_quantities`` finds every stated quantity in a text: the number with its
qualifiers (近, 约, 余, 以上 …), range, unit and the interval it stands for.
Values are :class:`decimal.Decimal`, never floats, and keep their decimal places.

>>> parse_number("3.5万").value, parse_number("一千零八").value, parse_number("40.0").decimals
(Decimal('35000.0'), Decimal('1008'), 1)
"""

from jjnlp.numbers.parse import Number, parse_number, to_chinese
from jjnlp.numbers.quantity import Quantity, find_quantities, parse_quantity

__all__ = ["Number", "Quantity", "find_quantities", "parse_number", "parse_quantity", "to_chinese"]
