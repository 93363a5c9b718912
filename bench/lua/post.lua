-- POST the same JSON body every time (a checkout: each one is a new order).
--   wrk ... -s bench/lua/post.lua 'http://127.0.0.1:PORT/_syllabus/sites/SUB/checkout' -- BODY
local here = debug.getinfo(1, "S").source:sub(2):match("(.*/)") or "./"
dofile(here .. "report.lua")

local body = "{}"

function init(args)
  body = args[1] or body
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Accept"] = "application/json"
end

function request()
  return wrk.format("POST", nil, nil, body)
end
