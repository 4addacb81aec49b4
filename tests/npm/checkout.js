// A storefront checkout with the payment on the basket, as a storefront drives it with the
// mobify commercecloud-ocapi-client: guest token, basket, items in two shipments, customer,
// addresses and methods, a card on the basket, then the order, which must come out placed
// (status new, paid). tests/api/test_npm_client.py runs it against the API tier's platform:
//   OCAPI_BASE=http://127.0.0.1:PORT/s/SiteGenesis/dw/shop/v19_8 OCAPI_CLIENT_ID=... node checkout.js
// Exits 0 and prints the order as JSON, or exits 1 with the reason.
'use strict'
const assert = require('assert')
const ShopApi = require('commercecloud-ocapi-client')

const base = process.env.OCAPI_BASE
const clientId = process.env.OCAPI_CLIENT_ID
if (!base || !clientId) {
    console.error('set OCAPI_BASE (.../s/{site}/dw/shop/v19_8) and OCAPI_CLIENT_ID')
    process.exit(2)
}

const ADDRESS = {first_name: 'Jeff', last_name: 'Lebowski', address1: '606 Venezia Ave', city: 'Venice',
    postal_code: '90291', state_code: 'CA', country_code: 'US'}
const GIFT = Object.assign({}, ADDRESS, {first_name: 'Maude', city: 'Santa Monica'})
const CARD = {card_type: 'Visa', number: '4111111111111111', security_code: '123', holder: 'Jeff Lebowski',
    expiration_month: 12, expiration_year: new Date().getUTCFullYear() + 2}

// The client's PUTs go as POST with x-dw-http-method-override (its default), as on a real instance.
const client = new ShopApi.ApiClient({basePath: base, defaultHeaders: {}, timeout: 30000, cache: false})
client.authentications.client_id.apiKey = clientId
ShopApi.ApiClient.instance = client

async function checkout() {
    const customers = new ShopApi.CustomersApi(client)
    const baskets = new ShopApi.BasketsApi(client)
    const orders = new ShopApi.OrdersApi(client)

    // The guest JWT comes back in the Authorization header; the client keeps it for what follows.
    const guest = await customers.postCustomersAuth({type: 'guest'})
    assert.strictEqual(guest.auth_type, 'guest')

    const created = await baskets.postBaskets({body: {}})
    const id = created.basket_id
    await baskets.postBasketsByIDShipments(id, {shipment_id: 'gift', shipping_address: GIFT,
        shipping_method: {id: 'ExpressShippingMethod'}})
    await baskets.postBasketsByIDItems(id, [{product_id: 'SimpleProduct', quantity: 2},
        {product_id: 'CoffeeMug', quantity: 1, shipment_id: 'gift'}])
    await baskets.putBasketsByIDCustomer(id, {email: 'jeff@example.com'})
    await baskets.putBasketsByIDBillingAddress(id, {body: ADDRESS, useAsShipping: true})
    const ready = await baskets.putBasketsByIDShipmentsByIDShippingMethod(id, 'me', {id: 'BaseShippingMethod'})
    assert.deepStrictEqual(ready.shipments.map(s => s.shipment_id), ['me', 'gift'])
    assert.strictEqual(ready.shipments[0].shipping_address.city, 'Venice')

    const methods = await baskets.getBasketsByIDPaymentMethods(id)
    assert.ok(methods.applicable_payment_methods.some(m => m.id === 'CREDIT_CARD'), 'CREDIT_CARD is applicable')

    // No amount: the instrument pays the whole order total when the order is submitted.
    const paid = await baskets.postBasketsByIDPaymentInstruments(id, {payment_method_id: 'CREDIT_CARD',
        payment_card: CARD})
    const instrument = paid.payment_instruments[0]
    assert.strictEqual(instrument.payment_card.number_last_digits, '1111')
    assert.ok(!JSON.stringify(paid).includes(CARD.number), 'the basket never shows the full card number')

    const order = await orders.postOrders({basket_id: id})
    assert.strictEqual(order.status, 'new', `order status ${order.status}`)
    assert.strictEqual(order.payment_status, 'paid', `payment status ${order.payment_status}`)
    assert.strictEqual(order.order_total, ready.order_total)
    assert.deepStrictEqual(order.shipments.map(s => s.shipment_id), ['me', 'gift'])

    const read = await orders.getOrdersByID(order.order_no)
    assert.strictEqual(read.status, 'new')
    return {order_no: order.order_no, status: order.status, payment_status: order.payment_status,
        order_total: order.order_total, shipments: order.shipments.map(s => s.shipment_id)}
}

checkout().then(
    summary => console.log(JSON.stringify(summary)),
    err => {
        // A failed call is the client's error with the response: show the fault document.
        const fault = err && err.response && err.response.body
        console.error(fault ? `${err.status} ${JSON.stringify(fault)}` : (err && err.stack) || err)
        process.exit(1)
    })
