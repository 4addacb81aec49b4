"""Compiling a ``search_request`` into parameterised SQL over the projection.

Every value becomes a ``$n`` parameter; every column comes from ``search_fields.FIELDS``;
operators and sort orders come from fixed tables. Nothing from the request is ever
spliced into the SQL text. Text queries use Postgres full text search with the
``simple`` configuration (no stemming: "Jon" matches the word "Jon", not "Jonathan").
"""
from typing import Any

from services.customer_list.search_fields import BOOLEAN, FIELDS, INTEGER, SORTABLE, STRING
from shared.http.faults import OcapiFault

TERM_OPERATORS = {"is": "=", "greater": ">", "greater_or_equal": ">=", "less": "<",
                  "less_or_equal": "<=", "one_of": "ANY", "not_in": "NOT ANY"}
MAX_DEPTH = 10
INT_MIN, INT_MAX = -2 ** 31, 2 ** 31 - 1


def comparable(column: str, kind: str) -> str:
    """Strings compare and sort by code point, whatever the database's collation."""
    return f'{column} COLLATE "C"' if kind == STRING else column


def invalid(message: str, **arguments) -> OcapiFault:
    return OcapiFault(message, fault_type="InvalidSearchQueryException", arguments=arguments or None)


class Compiler:
    def __init__(self, first_param: int = 1):
        self.params: list[Any] = []
        self.first = first_param
        self.ranks: list[str] = []  # ts_rank expressions of the text queries, for relevance

    def param(self, value: Any, cast: str = "") -> str:
        self.params.append(value)
        return f"${self.first + len(self.params) - 1}{cast}"

    # -- fields and values ---------------------------------------------------------
    def column(self, field: Any) -> tuple[str, str]:
        if not isinstance(field, str) or field not in FIELDS:
            raise OcapiFault(f"The field '{field}' is not searchable.",
                             fault_type="FieldNotSearchableException", arguments={"field": str(field)})
        return FIELDS[field]

    def value(self, field: str, kind: str, value: Any) -> Any:
        # Integer columns are Postgres int (32 bits): a wider value fits no row, and asyncpg refuses it.
        ok = {INTEGER: isinstance(value, int) and not isinstance(value, bool) and INT_MIN <= value <= INT_MAX,
              BOOLEAN: isinstance(value, bool)}.get(kind, isinstance(value, str))
        if not ok:
            raise invalid(f"The value {value!r} does not fit the {kind} field '{field}'.",
                          field=field)
        return value

    def fields(self, node: dict) -> list[str]:
        fields = node.get("fields")
        if not isinstance(fields, list) or not fields:
            raise invalid("'fields' must be a non-empty list.")
        return fields

    # -- queries ------------------------------------------------------------------
    def query(self, node: Any, depth: int = 0) -> str:
        if depth > MAX_DEPTH:
            raise invalid("The query is nested too deeply.")
        if not isinstance(node, dict) or len(node) != 1:
            raise invalid("A query must be an object with exactly one query type.")
        kind, body = next(iter(node.items()))
        if not isinstance(body, dict):
            raise invalid(f"'{kind}' must be an object.")
        handler = {"match_all_query": lambda b, d: "TRUE", "term_query": self.term_query,
                   "text_query": self.text_query, "bool_query": self.bool_query,
                   "filtered_query": self.filtered_query}.get(kind)
        if handler is None:
            raise invalid(f"Unknown query type '{kind}'.", query=str(kind)[:100])
        return handler(body, depth)

    def term_query(self, node: dict, depth: int) -> str:
        return "(" + " OR ".join(self.term(f, node.get("operator"), node.get("values"))
                                 for f in self.fields(node)) + ")"

    def term(self, field: Any, operator: Any, values: Any) -> str:
        column, kind = self.column(field)
        if not isinstance(operator, str) or operator not in TERM_OPERATORS:
            raise invalid(f"Unknown operator '{operator}'.", operator=str(operator)[:100])
        if not isinstance(values, list) or not values:
            raise invalid("'values' must be a non-empty list.")
        if operator in ("one_of", "not_in"):
            typed = [self.value(field, kind, v) for v in values if v is not None]
            sql_type = {INTEGER: "::int[]", BOOLEAN: "::boolean[]"}.get(kind, "::text[]")
            test = f"{comparable(column, kind)} = ANY({self.param(typed, sql_type)})"
            if None in values:
                test = f"({test} OR {column} IS NULL)"
            return f"NOT coalesce({test}, false)" if operator == "not_in" else test
        if len(values) != 1:
            raise invalid(f"The operator '{operator}' takes exactly one value.")
        if values[0] is None:
            if operator != "is":
                raise invalid("Only 'is' compares with null.")
            return f"{column} IS NULL"
        value = self.param(self.value(field, kind, values[0]))
        return f"{comparable(column, kind)} {TERM_OPERATORS[operator]} {value}"

    def text_query(self, node: dict, depth: int) -> str:
        phrase = node.get("search_phrase")
        if not isinstance(phrase, str) or not phrase.strip():
            raise invalid("'search_phrase' must be a non-empty string.")
        query = f"plainto_tsquery('simple', {self.param(phrase)})"
        tests = []
        for field in self.fields(node):
            column, _ = self.column(field)
            vector = f"to_tsvector('simple', coalesce({column}::text, ''))"
            tests.append(f"{vector} @@ {query}")
            self.ranks.append(f"ts_rank({vector}, {query})")
        return "(" + " OR ".join(tests) + ")"

    def bool_query(self, node: dict, depth: int) -> str:
        return self._bool(node, depth, self.query, ("must", "must_not", "should"))

    def _bool(self, node: dict, depth: int, compile_one, names) -> str:
        parts = {}
        for name in names:
            items = node.get(name, [])
            if not isinstance(items, list):
                raise invalid(f"'{name}' must be a list.")
            parts[name] = [compile_one(item, depth + 1) for item in items]
        must, must_not, should = (parts[n] for n in names)
        clauses = must + [f"NOT coalesce({q}, false)" for q in must_not]
        if should:
            clauses.append("(" + " OR ".join(should) + ")")
        if not clauses:
            raise invalid("A boolean query needs at least one clause.")
        return "(" + " AND ".join(clauses) + ")"

    def filtered_query(self, node: dict, depth: int) -> str:
        if "query" not in node or "filter" not in node:
            raise invalid("A filtered_query needs 'query' and 'filter'.")
        return f"({self.query(node['query'], depth + 1)} AND {self.filter(node['filter'], depth + 1)})"

    # -- filters ------------------------------------------------------------------
    def filter(self, node: Any, depth: int) -> str:
        if depth > MAX_DEPTH:
            raise invalid("The filter is nested too deeply.")
        if not isinstance(node, dict) or len(node) != 1:
            raise invalid("A filter must be an object with exactly one filter type.")
        kind, body = next(iter(node.items()))
        if not isinstance(body, dict):
            raise invalid(f"'{kind}' must be an object.")
        if kind == "range_filter":
            return self.range_filter(body)
        if kind == "term_filter":
            return self.term(body.get("field"), body.get("operator"), body.get("values"))
        if kind == "bool_filter":
            return self.bool_filter(body, depth)
        if kind == "query_filter":
            return self.query(body.get("query"), depth + 1)
        raise invalid(f"Unknown filter type '{kind}'.", filter=str(kind)[:100])

    def range_filter(self, node: dict) -> str:
        field: Any = node.get("field")  # column() refuses anything but a searchable field name
        column, kind = self.column(field)
        tests = []
        for bound, strict, inclusive in (("from", ">", "from_inclusive"), ("to", "<", "to_inclusive")):
            if node.get(bound) is None:
                continue
            flag = node.get(inclusive, True)
            if not isinstance(flag, bool):
                raise invalid(f"'{inclusive}' must be a boolean.")
            op = strict + ("=" if flag else "")
            value = self.param(self.value(field, kind, node[bound]))
            tests.append(f"{comparable(column, kind)} {op} {value}")
        if not tests:
            raise invalid("A range_filter needs 'from' or 'to'.")
        return "(" + " AND ".join(tests) + ")"

    def bool_filter(self, node: dict, depth: int) -> str:
        operator, filters = node.get("operator"), node.get("filters")
        if operator not in ("and", "or", "not") or not isinstance(filters, list) or not filters:
            raise invalid("A bool_filter needs an operator (and, or, not) and filters.")
        compiled = [self.filter(f, depth + 1) for f in filters]
        if operator == "not":
            return "(" + " AND ".join(f"NOT coalesce({c}, false)" for c in compiled) + ")"
        return "(" + f" {operator.upper()} ".join(compiled) + ")"

    # -- sorts --------------------------------------------------------------------
    def order_by(self, sorts: Any) -> str:
        if sorts is None:
            sorts = []
        if not isinstance(sorts, list):
            raise invalid("'sorts' must be a list.")
        terms = []
        for sort in sorts:
            if not isinstance(sort, dict) or "field" not in sort:
                raise invalid("A sort needs a 'field'.")
            field, order = sort["field"], sort.get("sort_order", "asc")
            if not isinstance(field, str) or field not in SORTABLE:
                raise OcapiFault(f"The field '{field}' is not sortable.",
                                 fault_type="FieldNotSortableException",
                                 arguments={"field": str(field)})
            if order not in ("asc", "desc"):
                raise invalid("'sort_order' must be asc or desc.")
            terms.append(f"{comparable(*FIELDS[field])} {order.upper()} NULLS LAST")
        if not terms and self.ranks:
            terms.append("relevance DESC")
        return ", ".join(terms + ['customer_no COLLATE "C" ASC', 'customer_id COLLATE "C" ASC'])

    def relevance(self) -> str:
        return "(" + " + ".join(self.ranks) + ")::float8" if self.ranks else "1.0::float8"
