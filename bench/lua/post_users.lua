-- POST /users with a JSON body and an email no other request (of this run) uses.
--   wrk ... -s bench/lua/post_users.lua 'http://127.0.0.1:PORT/api/public/v1/users' -- RUNTOKEN
-- The run token keeps emails unique across runs on a reused bench database.
local here = debug.getinfo(1, "S").source:sub(2):match("(.*/)") or "./"
dofile(here .. "report.lua")

local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end

local token = "run"
local counter = 0

function init(args)
  token = args[1] or tostring(os.time())
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Accept"] = "application/json"
end

function request()
  counter = counter + 1
  local body = string.format(
    '{"first_name":"Bench","last_name":"Writer %d","email":"bench-%s-%d-%d@example.com"}',
    counter, token, thread_number or 0, counter)
  return wrk.format("POST", nil, nil, body)
end
