-- Shared by every bench script: print wrk's summary as one JSON line that bench/wrk.py reads.
-- Times are microseconds. errors.status is wrk's "Non-2xx or 3xx responses" (status > 399).

local function percentile(latency, p)
  return latency:percentile(p)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH_JSON {\"requests\":%d,\"duration_us\":%d,\"bytes\":%d," ..
    "\"errors\":{\"connect\":%d,\"read\":%d,\"write\":%d,\"status\":%d,\"timeout\":%d}," ..
    "\"latency_us\":{\"min\":%d,\"max\":%d,\"mean\":%.1f,\"stdev\":%.1f," ..
    "\"p50\":%d,\"p75\":%d,\"p90\":%d,\"p99\":%d,\"p999\":%d}}\n",
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.min, latency.max, latency.mean, latency.stdev,
    percentile(latency, 50), percentile(latency, 75), percentile(latency, 90),
    percentile(latency, 99), percentile(latency, 99.9)))
end
