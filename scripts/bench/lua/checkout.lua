-- A full guest checkout per pass, on one connection per thread (run with -c equal to -t: wrk
-- calls request() and response() per thread, so one connection keeps the state machine
-- simple). The steps are those of tests/api/checkout.py; a pass ends with the card payment
-- that moves the order to status "new", and its wall time goes to `samples` (ms).
-- A step answering anything but 200 abandons the pass (it shows in the status counts) and the
-- next pass starts with a new guest token. BENCH_PERIOD_MS > 0 paces each thread to one pass
-- per period (the hook-latency run uses it to hold checkout at a fraction of its maximum).
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

local shop = env("BENCH_SHOP") -- e.g. /s/SiteGenesis/dw/shop
local client = env("BENCH_CLIENT")
local period = tonumber(env("BENCH_PERIOD_MS", "0"))
local year = tonumber(os.date("%Y")) + 2
local address = '{"first_name":"Jeff","last_name":"Lebowski","address1":"606 Venezia Ave",'
  .. '"city":"Venice","postal_code":"90291","state_code":"CA","country_code":"US"}'

local step, token, basket, order_no, total = 1, nil, nil, nil, nil
local started = 0

local function call(method, path, body)
  local headers = { ["Content-Type"] = "application/json" }
  if token then headers["Authorization"] = token end
  return wrk.format(method, shop .. "/v19_8" .. path, headers, body)
end

local steps = {
  function()
    started = now_ms()
    token = nil
    return wrk.format("POST", shop .. "/v16_4/customers/auth?client_id=" .. client,
      { ["Content-Type"] = "application/json" }, '{"type":"guest"}')
  end,
  function() return call("POST", "/baskets", "{}") end,
  function() return call("POST", "/baskets/" .. basket .. "/items", '[{"product_id":"SimpleProduct","quantity":1}]') end,
  function() return call("PUT", "/baskets/" .. basket .. "/customer", '{"email":"jeff@example.com"}') end,
  function() return call("PUT", "/baskets/" .. basket .. "/billing_address", address) end,
  function() return call("PUT", "/baskets/" .. basket .. "/shipments/me/shipping_address", address) end,
  function() return call("PUT", "/baskets/" .. basket .. "/shipments/me/shipping_method", '{"id":"BaseShippingMethod"}') end,
  function() return call("POST", "/orders", '{"basket_id":"' .. basket .. '"}') end,
  function()
    return call("POST", "/orders/" .. order_no .. "/payment_instruments", string.format(
      '{"payment_method_id":"CREDIT_CARD","amount":%s,"payment_card":{"card_type":"Visa",'
      .. '"number":"4111111111111111","security_code":"123","holder":"Jeff Lebowski",'
      .. '"expiration_month":12,"expiration_year":%d}}', total, year))
  end,
}

function request()
  return steps[step]()
end

function delay()
  if step ~= 1 then return 0 end
  return pace(period)
end

local function abandon()
  count("abandoned")
  step = 1
end

function response(status, headers, body)
  count(status)
  if status ~= 200 then return abandon() end
  if step == 1 then
    token = headers["Authorization"] or headers["authorization"]
    if not token then return abandon() end
  elseif step == 2 then
    basket = body:match('"basket_id"%s*:%s*"([^"]+)"')
    if not basket then return abandon() end
  elseif step == 8 then
    order_no = body:match('"order_no"%s*:%s*"([^"]+)"')
    total = body:match('"order_total"%s*:%s*([%d%.]+)')
    if not (order_no and total) then return abandon() end
  elseif step == 9 then
    if not body:match('"status"%s*:%s*"new"') then return abandon() end
    table.insert(samples, now_ms() - started)
    step = 1
    return
  end
  step = step + 1
end
