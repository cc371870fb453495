"""Values schemathesis cannot build from a pattern: identifiers with a check digit.

The OpenAPI document names them as formats of their own (`ir-national-code`,
`ir-legal-person-id`, described in the document); these strategies give valid ones, so a valid
request is one the server must accept. Invalid ones are built from the pattern the document states.
Loaded by test/schemathesis.test.ts through the config file's `hooks`.
"""
from hypothesis import strategies as st
import schemathesis


def national_code(first_nine: str) -> str:
    total = sum(int(d) * (10 - i) for i, d in enumerate(first_nine))
    remainder = total % 11
    return first_nine + str(remainder if remainder < 2 else 11 - remainder)


def legal_person_id(first_ten: str) -> str:
    offset = int(first_ten[9]) + 2
    weights = [29, 27, 23, 19, 17]
    total = sum((int(d) + offset) * weights[i % 5] for i, d in enumerate(first_ten)) % 11
    return first_ten + str(0 if total == 10 else total)


schemathesis.openapi.format(
    "ir-national-code",
    st.integers(min_value=0, max_value=999_999_999)
    .map(lambda n: national_code(f"{n:09d}"))
    .filter(lambda code: len(set(code)) > 1),
)
schemathesis.openapi.format(
    "ir-legal-person-id",
    st.integers(min_value=0, max_value=9_999_999_999)
    .map(lambda n: legal_person_id(f"{n:010d}"))
    .filter(lambda code: code[3:9] != "000000"),
)
