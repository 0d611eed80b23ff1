-- One-row v2 JSON infer requests for the `digits` model, each a row of the digits dataset in turn (the first 100
-- rows), on keep-alive connections. From the repository's root:
--   wrk -t 2 -c 64 -d 10s -s bench/v2/digits.lua http://127.0.0.1:PORT [-- DATASET.csv] [-- MODEL]
-- The dataset defaults to src/main/resources/datasets/digits.csv, the model to `digits`.
package.path = "bench/v2/?.lua;" .. package.path
local report = require("v2report")

local requests = {}

function init(args)
  local dataset = args[1] or "src/main/resources/datasets/digits.csv"
  local model = args[2] or "digits"
  local file = assert(io.open(dataset, "r"))
  file:read("*l") -- the header: f0..f63,label
  for line in file:lines() do
    local values = {}
    for value in line:gmatch("[^,]+") do values[#values + 1] = value end
    local pixels = table.concat(values, ",", 1, 64)
    local body = '{"inputs":[{"name":"input","shape":[1,64],"datatype":"FP32","data":[' .. pixels .. ']}]}'
    requests[#requests + 1] = wrk.format("POST", "/v2/models/" .. model .. "/infer",
      { ["Content-Type"] = "application/json" }, body)
    if #requests == 100 then break end
  end
  file:close()
end

request = report.cycle(requests)

done = report.done
