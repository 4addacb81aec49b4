-- Another scenario's requests (BENCH_INNER: static.lua or rotate.lua), paced: each wrk thread
-- starts one request per BENCH_PERIOD_MS, so T threads hold T * 1000 / period requests/s (the
-- soak's share of the maximum) while their connections keep up; 0 is not paced.
dofile(os.getenv("BENCH_LUA_DIR") .. "/" .. os.getenv("BENCH_INNER"))

local period = tonumber(env("BENCH_PERIOD_MS", "0"))

function delay()
  return pace(period)
end
