-- wrk script for bench/submissions.ts: every request is a new submission with a fresh UUID, and
-- every id answered 2xx is appended to a per-thread file so the bench can check it is a row.
local paths, answers, out_prefix = {}, nil, nil
local file
local counter = 0

function init(args)
  -- One or more paths, comma-separated: requests go to them in turn (several forms).
  for p in string.gmatch(args[1], "[^,]+") do table.insert(paths, p) end
  answers = args[2]
  out_prefix = args[3]
  -- Seed each thread differently: wrk starts all threads in the same second.
  local seed = tonumber(tostring({}):sub(8), 16) or 0
  math.randomseed(os.time() + seed)
  file = io.open(string.format("%s-%d.ids", out_prefix, seed), "w")
  file:setvbuf("line")
end

local hex = "0123456789abcdef"
local function uuid4()
  local t = {}
  for i = 1, 36 do
    if i == 9 or i == 14 or i == 19 or i == 24 then
      t[i] = "-"
    elseif i == 15 then
      t[i] = "4"
    elseif i == 20 then
      local r = math.random(9, 12)
      t[i] = hex:sub(r, r)
    else
      local r = math.random(1, 16)
      t[i] = hex:sub(r, r)
    end
  end
  return table.concat(t)
end

function request()
  counter = counter + 1
  local body = '{"id":"' .. uuid4() .. '","answers":' .. answers .. "}"
  return wrk.format("POST", paths[(counter % #paths) + 1], { ["Content-Type"] = "application/json" }, body)
end

function response(status, headers, body)
  if status >= 200 and status < 300 then
    local id = body:match('"id":"([%x%-]+)"')
    if id then file:write(id, "\n") end
  end
end

function done(summary, latency, requests)
  io.write(string.format("LAT p50=%.3f p99=%.3f max=%.3f\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
  io.write(string.format("SUM requests=%d non2xx=%d errors=%d timeouts=%d\n", summary.requests,
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write,
    summary.errors.timeout))
end
