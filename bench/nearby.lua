-- wrk script: cycles through a query file (id,latitude,longitude,radius_m) against /v1/search/nearby.
-- Usage: wrk -t2 -c16 -d20s --latency -s bench/nearby.lua http://127.0.0.1:8080 -- queries.csv [radius]
local queries = {}
local counter = 0

function init(args)
  local path = args[1] or "../shared/bench/proximity/queries.csv"
  local only_radius = args[2]
  for line in io.lines(path) do
    local id, lat, lng, r = line:match("^(%d+),([^,]+),([^,]+),([^,]+)")
    if id and (only_radius == nil or r == only_radius) then
      table.insert(queries, string.format("/v1/search/nearby?latitude=%s&longitude=%s&radius=%s", lat, lng, r))
    end
  end
  counter = math.random(#queries)
end

function request()
  counter = counter % #queries + 1
  return wrk.format("GET", queries[counter])
end
