"""Property test: the database orders and pages the address book as the rule says."""
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.customer.address_repository import PostgresAddresses
from services.customer.model import BookPage
from services.customer.repository import PostgresCustomers
from services.customer.shop.address_documents import sort_key
from shared.ids import new_id

IDS = st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"),
              min_size=1, max_size=12)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ids=st.lists(IDS, min_size=0, max_size=12, unique=True), preferred=st.integers(-1, 11),
       start=st.integers(0, 15), count=st.integers(1, 15))
async def test_the_book_is_preferred_first_then_by_id_and_pages_are_slices(pool, ids, preferred,
                                                                          start, count):
    customer_id = new_id()
    async with pool.acquire() as conn, conn.transaction():
        book = PostgresAddresses(conn)
        await PostgresCustomers(conn).add(customer_id, "props", new_id(8), customer_id, {}, {})
        for index, address_id in enumerate(ids):
            await book.add(customer_id, address_id, {}, index == preferred)
        rows = await book.all_of(customer_id)
        page, total = await book.page(customer_id, start, count)
        # The Shop's list reads the same page, the total and the customer's list in one statement.
        assert await book.book_page(customer_id, start, count) == BookPage("props", page, total)
        assert await book.book_page(new_id(), start, count) is None
    expected = sorted(({"address_id": a, "preferred": i == preferred} for i, a in enumerate(ids)),
                      key=sort_key)
    got = [{"address_id": r.address_id, "preferred": r.preferred} for r in rows]
    assert got == expected
    assert [r.address_id for r in page] == [e["address_id"] for e in expected][start:start + count]
    assert total == len(ids)
