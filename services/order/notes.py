"""Order notes: at most 1000 per order; adding or removing one is a new order state.

Each function takes a unit of work and runs one unit, holding the order's row lock.
"""
from services.order import events
from services.order.documents import parse_note
from services.order.order_rendering import note_document
from services.order.order_service import OrderService
from services.order.rendering import resource_state
from services.order.unit_of_work import OrderUnitOfWork
from shared.http.faults import OcapiFault
from shared.ids import new_id
from shared.security.context import RequestContext
from shared.security.tokens import Claims

MAX_NOTES = 1000


def _creator(claims: Claims) -> str:
    return claims.client_id if claims.kind == "client" else (claims.customer_id or claims.client_id)


async def add(orders: OrderService, uow: OrderUnitOfWork, ctx: RequestContext, claims: Claims, order_no: str,
              body: dict, given_state: str | None = None) -> dict:
    subject, text = parse_note(body)
    async with uow:
        await orders.locked(uow, ctx, claims, order_no, given_state=given_state)
        if await uow.notes.count(order_no) >= MAX_NOTES:
            raise OcapiFault(f"An order has at most {MAX_NOTES} notes.",
                             fault_type="OrderNotesQuotaExceededException", arguments={"limit": MAX_NOTES})
        # Nothing is written yet: the subscriber's note, validated as a client's, is the one added.
        replaced = await orders.replacement(events.NOTE_BEFORE_POST, ctx, claims, orderNo=order_no,
                                            note={"subject": subject, "text": text})
        if replaced is not None:
            subject, text = parse_note(replaced)
        note = {"subject": subject, "text": text}
        await orders.emit(uow, events.NOTE_BEFORE_POST, ctx, claims, orderNo=order_no, note=note,
                          asked=True)
        await uow.notes.add(new_id(), order_no, subject, text, _creator(claims))
        order = await uow.orders.update(order_no)
        doc = await orders.render(uow, ctx, order)
        return await orders.emit(uow, events.NOTE_MODIFY_POST, ctx, claims, order=doc,
                                 orderResponse=doc) or doc


async def list_notes(orders: OrderService, uow: OrderUnitOfWork, ctx: RequestContext, claims: Claims,
                     order_no: str) -> dict:
    async with uow:
        order = await orders.locked(uow, ctx, claims, order_no)
        result = {"_type": "notes_result", "_resource_state": resource_state(order_no, order.version),
                  "notes": [note_document(n) for n in await uow.notes.of(order_no)]}
        doc = await orders.render(uow, ctx, order)
    await orders.emit(None, events.NOTES_BEFORE_GET, ctx, claims, orderNo=order_no)  # as in OrderService.get
    return await orders.emit(None, events.NOTES_MODIFY_GET, ctx, claims, order=doc,
                             notesResultResponse=result) or result


async def remove(orders: OrderService, uow: OrderUnitOfWork, ctx: RequestContext, claims: Claims,
                 order_no: str, note_id: str, given_state: str | None = None) -> dict:
    async with uow:
        order = await orders.locked(uow, ctx, claims, order_no, given_state=given_state)
        notes = {n.note_id: n for n in await uow.notes.of(order_no)}
        if note_id not in notes:
            raise OcapiFault(f"The note '{note_id}' could not be found.", status=404,
                             fault_type="NoteNotFoundException", arguments={"noteId": note_id})
        note = note_document(notes[note_id])
        before = await orders.render(uow, ctx, order)
        await orders.emit(uow, events.NOTE_BEFORE_DELETE, ctx, claims, order=before, note=note)
        await uow.notes.delete(order_no, note_id)
        order = await uow.orders.update(order_no)
        doc = await orders.render(uow, ctx, order)
        await orders.emit(uow, events.NOTE_AFTER_DELETE, ctx, claims, order=doc, note=note)
        return await orders.emit(uow, events.NOTE_MODIFY_DELETE, ctx, claims, order=doc,
                                 orderResponse=doc, noteId=note_id) or doc
