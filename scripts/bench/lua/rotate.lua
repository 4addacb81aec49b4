-- static.lua's fixed request, with one header's value cycling through BENCH_ROTATE_1..N per
-- request (the login scenario's many customers: the lockout counts attempts still in flight
-- as failures, so one login hammered from many connections would lock itself out).
dofile(os.getenv("BENCH_LUA_DIR") .. "/static.lua")

local name, values = env("BENCH_ROTATE_HEADER"), {}
while os.getenv("BENCH_ROTATE_" .. (#values + 1)) do
  table.insert(values, os.getenv("BENCH_ROTATE_" .. (#values + 1)))
end
offset = 0 -- set per thread by setup(): threads start at different places in the list
local next_value, base_setup, threads_set_up = nil, setup, 0

function setup(thread)
  base_setup(thread)
  thread:set("offset", threads_set_up * 7)
  threads_set_up = threads_set_up + 1
end

function request()
  next_value = ((next_value or offset) % #values) + 1
  wrk.headers[name] = values[next_value]
  return wrk.format()
end
