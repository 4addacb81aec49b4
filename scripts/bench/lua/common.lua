-- Shared by every scenario (loaded with dofile): status counts per thread, and at the end one
-- line "BENCH-JSON {...}" that scripts/bench/wrk.py reads. Each wrk thread runs its own Lua
-- state, so everything a thread counts is collected through thread:get() in done().
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
  int clock_gettime(int clock, bench_timespec *ts);
]]
local ts = ffi.new("bench_timespec")

function now_ms()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

function env(name, default)
  local value = os.getenv(name)
  if value == nil or value == "" then
    if default == nil then error("bench: " .. name .. " is not set") end
    return default
  end
  return value
end

local next_start = 0

-- What delay() returns to start one request (or checkout pass) per `period` ms in this thread,
-- whatever the answers' latency; 0 when period <= 0 (not paced).
function pace(period)
  if period <= 0 then return 0 end
  local now = now_ms()
  if next_start < now then next_start = now end
  local wait = next_start - now
  next_start = next_start + period
  return math.floor(wait)
end

counts = {}   -- status -> responses, in this thread
samples = {}  -- a scenario's own measurements (e.g. one per checkout), in this thread

function count(status)
  counts[status] = (counts[status] or 0) + 1
end

function response(status, headers, body)
  count(status)
end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

local function json_object(t)
  local parts = {}
  for k, v in pairs(t) do table.insert(parts, string.format('"%s":%s', tostring(k), tostring(v))) end
  return "{" .. table.concat(parts, ",") .. "}"
end

function done(summary, latency, requests)
  local statuses, collected = {}, {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("counts") or {}) do
      statuses[status] = (statuses[status] or 0) + n
    end
    for _, v in ipairs(thread:get("samples") or {}) do table.insert(collected, string.format("%.3f", v)) end
  end
  local e = summary.errors
  io.write("BENCH-JSON {",
    string.format('"duration_us":%d,"requests":%d,', summary.duration, summary.requests),
    string.format('"socket_errors":{"connect":%d,"read":%d,"write":%d,"timeout":%d},',
      e.connect, e.read, e.write, e.timeout),
    string.format('"non_2xx_3xx":%d,', e.status),
    string.format('"latency_us":{"p50":%d,"p90":%d,"p99":%d,"max":%d,"mean":%.1f},',
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean),
    '"statuses":', json_object(statuses), ",",
    '"samples":[', table.concat(collected, ","), "]}\n")
end
