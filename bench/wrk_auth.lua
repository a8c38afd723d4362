-- wrk script for bench/run.py: sends the session cookie or the API token of a logged-in user and
-- prints the result as one JSON line (latencies in microseconds).
--   BENCH_COOKIE="framsteg_session=..." wrk -s bench/wrk_auth.lua ...
--   BENCH_AUTHORIZATION="Bearer fs_..." wrk -s bench/wrk_auth.lua ...
local cookie = os.getenv("BENCH_COOKIE")
local authorization = os.getenv("BENCH_AUTHORIZATION")
if cookie and cookie ~= "" then
  wrk.headers["Cookie"] = cookie
end
if authorization and authorization ~= "" then
  wrk.headers["Authorization"] = authorization
end

done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "p50": %d, "p90": %d, "p95": %d, "p99": %d, ' ..
    '"max": %d, "mean": %.1f, "non_2xx": %d, "connect_errors": %d, "read_errors": %d, "write_errors": %d, ' ..
    '"timeouts": %d}\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(95), latency:percentile(99),
    latency.max, latency.mean, errors.status, errors.connect, errors.read, errors.write, errors.timeout))
end
