-- What the wrk scripts of bench/v2 share: sending their requests in turn, and what a run prints at its end:
-- requests/s, latency percentiles of every request, and the errors (non-2xx answers among them), in words and as one
-- JSON line for a harness to read.
local report = {}

-- A wrk request() that sends the prepared requests in turn, again from the first after the last.
function report.cycle(requests)
  local index = 0
  return function()
    index = index % #requests + 1
    return requests[index]
  end
end

function report.done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local function ms(us) return us / 1000 end
  local e = summary.errors
  io.write(string.format("requests %d in %.2f s: %.1f requests/s\n", summary.requests, seconds, summary.requests / seconds))
  io.write(string.format("latency ms: p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f  (mean %.2f)\n",
    ms(latency:percentile(50)), ms(latency:percentile(90)), ms(latency:percentile(99)), ms(latency:percentile(99.9)),
    ms(latency.max), ms(latency.mean)))
  io.write(string.format("errors: connect %d, read %d, write %d, timeout %d, non-2xx answers %d\n",
    e.connect, e.read, e.write, e.timeout, e.status))
  io.write(string.format('{"requests":%d,"seconds":%.3f,"requestsPerSecond":%.1f,"p50Ms":%.3f,"p90Ms":%.3f,'
    .. '"p99Ms":%.3f,"p999Ms":%.3f,"maxMs":%.3f,"errors":%d,"non2xx":%d}\n',
    summary.requests, seconds, summary.requests / seconds, ms(latency:percentile(50)), ms(latency:percentile(90)),
    ms(latency:percentile(99)), ms(latency:percentile(99.9)), ms(latency.max),
    e.connect + e.read + e.write + e.timeout, e.status))
end

return report
