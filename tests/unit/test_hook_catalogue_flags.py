"""The catalogue's flags say what each point costs: decisions are asked, reads write nothing."""
from shared.messaging.hook_catalogue import DECISION, load_all


def _read_only(resource: str) -> bool:
    return all(part.strip().startswith("GET ") for part in resource.split(", "))


def test_every_decision_point_is_asked_when_subscribed():
    unasked = [p.name for p in load_all().values() if p.kind == DECISION and not p.asked]
    assert unasked == []


def test_no_point_of_a_read_or_a_response_is_a_notification():
    notified = [p.name for p in load_all().values()
                if p.notified and (".modify" in p.name or _read_only(p.resource))]
    assert notified == []


def test_the_points_of_writes_are_still_recorded():
    points = load_all()
    assert points["dw.ocapi.shop.order.beforePOST"].notified
    assert points["dw.ocapi.shop.basket.validateBasket"].notified    # during submit
    assert not points["dw.ocapi.shop.order.beforeGET"].notified
    assert not points["dw.ocapi.shop.order.modifyPOSTResponse"].notified
