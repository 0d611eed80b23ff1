-- One-row v2 JSON infer requests for mlpipe's `simulated` model (input `value`, INT64 [1, 1]), values 1 to 100 in
-- turn, on keep-alive connections. From the repository's root:
--   wrk -t 2 -c 64 -d 10s -s bench/v2/simulated.lua http://127.0.0.1:PORT [-- MODEL]
-- The model defaults to `simulated`.
package.path = "bench/v2/?.lua;" .. package.path
local report = require("v2report")

local requests = {}

function init(args)
  local model = args[1] or "simulated"
  for value = 1, 100 do
    local body = '{"inputs":[{"name":"value","shape":[1,1],"datatype":"INT64","data":[' .. value .. ']}]}'
    requests[value] = wrk.format("POST", "/v2/models/" .. model .. "/infer", { ["Content-Type"] = "application/json" }, body)
  end
end

request = report.cycle(requests)

done = report.done
