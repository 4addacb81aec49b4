-- One fixed request, again and again: BENCH_METHOD, BENCH_PATH, BENCH_BODY, and any number
-- of headers as BENCH_HEADER_1="Name: value", BENCH_HEADER_2=...
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

wrk.method = env("BENCH_METHOD", "GET")
wrk.path = env("BENCH_PATH")
local body = env("BENCH_BODY", "")
if body ~= "" then
  wrk.body = body
  wrk.headers["Content-Type"] = "application/json"
end
local n = 1
while os.getenv("BENCH_HEADER_" .. n) do
  local name, value = os.getenv("BENCH_HEADER_" .. n):match("^([^:]+):%s*(.*)$")
  wrk.headers[name] = value
  n = n + 1
end
